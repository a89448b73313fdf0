"""A training run the kill test interrupts: `python -m tests.training.interruptible_training_script`.

Trains the tiny Conv3D classifier for 5 epochs of 4 steps with
`train_and_evaluate` and appends what happens to `--log`, one line per
event, flushed at once so the test can follow it and kill the process:
`begin <epoch> <optimizer iterations>` and `batch <epoch> <batch>`.
"""

import argparse
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--seconds_per_batch", type=float, default=0.0)
    args = parser.parse_args()

    import keras

    from keras_grurcn.training import TrainingConfig
    from keras_grurcn.training import train_and_evaluate
    from tests.training.tiny_classifiers import clip_dataset
    from tests.training.tiny_classifiers import conv3d_classifier

    class EventLog(keras.callbacks.Callback):
        def __init__(self, path, seconds_per_batch):
            super().__init__()
            self.path = path
            self.seconds_per_batch = seconds_per_batch
            self.epoch = None

        def write(self, line):
            with open(self.path, "a") as file:
                file.write(line + "\n")
                file.flush()
                os.fsync(file.fileno())

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch
            self.write(f"begin {epoch} {int(self.model.optimizer.iterations.numpy())}")

        def on_train_batch_end(self, batch, logs=None):
            self.write(f"batch {self.epoch} {batch}")
            time.sleep(self.seconds_per_batch)

    config = TrainingConfig(
        strategy="default",
        batch_size=2,
        epochs=5,
        learning_rate=1e-2,
        lr_schedule="constant",
        early_stopping_patience=None,
        verbose=0,
    )
    train_and_evaluate(
        config,
        args.workdir,
        conv3d_classifier,
        clip_dataset(8),
        clip_dataset(4, seed=1),
        extra_callbacks=[EventLog(args.log, args.seconds_per_batch)],
    )


if __name__ == "__main__":
    main()
