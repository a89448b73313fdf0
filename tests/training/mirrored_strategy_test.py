import keras
import numpy as np

from keras_grurcn.training import TrainingConfig
from keras_grurcn.training import build_and_compile
from keras_grurcn.training import get_strategy
from keras_grurcn.training.distribute_dataset import distribute_dataset
from tests.training.tiny_classifiers import clip_dataset
from tests.training.tiny_classifiers import grurcn_classifier

GLOBAL_BATCH = 4


def one_step(strategy):
    """Loss and weights after one SGD step on the same 4 clips."""
    keras.utils.set_random_seed(0)
    config = TrainingConfig(
        optimizer="sgd", learning_rate=0.1, momentum=0.0, lr_schedule="constant"
    )
    model = build_and_compile(config, grurcn_classifier, strategy)
    per_replica = GLOBAL_BATCH // strategy.num_replicas_in_sync
    batches = distribute_dataset(
        clip_dataset(GLOBAL_BATCH, clip_shape=(4, 32, 32, 3)),
        strategy,
        per_replica,
        full_batches_only=True,
        repeat=True,
    )
    history = model.fit(batches, epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
    return history.history["loss"][0], model.get_weights()


def test_mirrored_over_two_cpus_matches_one_device(mirrored_strategy):
    # `mirrored_strategy` (tests/conftest.py) spans the two logical CPUs.
    mirrored = mirrored_strategy
    assert mirrored.num_replicas_in_sync == 2
    single_loss, single_weights = one_step(get_strategy("default"))
    mirrored_loss, mirrored_weights = one_step(mirrored)

    np.testing.assert_allclose(mirrored_loss, single_loss, rtol=1e-5)
    initial = grurcn_initial_weights()
    changed = 0
    for single, replicated, start in zip(single_weights, mirrored_weights, initial):
        np.testing.assert_allclose(replicated, single, rtol=1e-4, atol=1e-6)
        changed += not np.allclose(single, start)
    assert changed > 0, "the step did not change any weight"


def grurcn_initial_weights():
    keras.utils.set_random_seed(0)
    return grurcn_classifier().get_weights()
