"""One worker of the multi-worker test: `python -m tests.training.multi_worker_script`.

Run with TF_CONFIG set; trains the tiny Conv3D classifier for a few steps
with `train_and_evaluate` under MultiWorkerMirroredStrategy and saves this
worker's final weights and the number of clips its shard holds.
"""

import argparse
import os

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--weights_out", required=True)
    args = parser.parse_args()

    import tensorflow as tf

    from keras_grurcn.training import TrainingConfig, train_and_evaluate
    from tests.training.tiny_classifiers import clip_dataset, conv3d_classifier

    config = TrainingConfig(
        strategy="multi_worker",
        batch_size=2,
        epochs=2,
        learning_rate=1e-2,
        lr_schedule="constant",
        early_stopping_patience=None,
        verbose=0,
    )
    # 10 training clips: 5 per worker, 2 steps of 2 x 2 clips per epoch.
    # The datasets are functions: MultiWorkerMirroredStrategy must exist
    # before TensorFlow builds anything.
    model, _ = train_and_evaluate(
        config,
        args.workdir,
        conv3d_classifier,
        lambda: clip_dataset(10),
        lambda: clip_dataset(5, seed=1),
    )
    task_index = tf.distribute.cluster_resolver.TFConfigClusterResolver().task_id
    np.savez(
        args.weights_out,
        iterations=int(model.optimizer.iterations.numpy()),
        task_index=task_index,
        **{f"weight_{i}": weight for i, weight in enumerate(model.get_weights())},
    )


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    main()
