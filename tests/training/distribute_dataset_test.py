import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.training import get_strategy
from keras_grurcn.training.distribute_dataset import count_steps
from keras_grurcn.training.distribute_dataset import distribute_dataset
from keras_grurcn.training.distribute_dataset import global_batch_size
from keras_grurcn.training.distribute_dataset import worker_dataset


def numbers(count):
    return tf.data.Dataset.range(count)


def batches_of(dataset):
    return [batch.tolist() for batch in dataset.as_numpy_iterator()]


def test_each_worker_keeps_its_own_shard_in_per_replica_batches():
    # 2 workers x 2 replicas each, global batch 8: per-replica batches of 2.
    shards = [
        batches_of(
            worker_dataset(
                numbers(18),
                tf.distribute.InputContext(
                    num_input_pipelines=2,
                    input_pipeline_id=worker,
                    num_replicas_in_sync=4,
                ),
                global_batch=8,
            )
        )
        for worker in range(2)
    ]
    assert shards[0] == [[0, 2], [4, 6], [8, 10], [12, 14], [16]]
    assert shards[1] == [[1, 3], [5, 7], [9, 11], [13, 15], [17]]


def test_full_batches_only_gives_every_worker_the_same_full_batches():
    # 18 clips = 2 full global batches of 8 (16 clips); each worker keeps 8.
    shards = [
        batches_of(
            worker_dataset(
                numbers(18),
                tf.distribute.InputContext(2, worker, 4),
                global_batch=8,
                full_batches_only=True,
            )
        )
        for worker in range(2)
    ]
    assert shards[0] == [[0, 2], [4, 6], [8, 10], [12, 14]]
    assert shards[1] == [[1, 3], [5, 7], [9, 11], [13, 15]]


def test_repeat_after_batching_keeps_epochs_aligned():
    dataset = worker_dataset(
        numbers(5), tf.distribute.InputContext(), global_batch=2, repeat=True
    )
    assert batches_of(dataset.take(6)) == [[0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]


def test_shuffle_is_seeded_and_reshuffled_every_epoch():
    def epochs(seed):
        dataset = worker_dataset(
            numbers(10),
            tf.distribute.InputContext(),
            global_batch=10,
            shuffle_buffer_size=10,
            seed=seed,
            repeat=True,
        )
        return [batch.tolist() for batch in dataset.take(2).as_numpy_iterator()]

    first, second = epochs(3)
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != second
    assert epochs(3) == [first, second]


def test_global_batch_and_steps_scale_with_replicas():
    strategy = get_strategy("default")
    assert global_batch_size(8, strategy) == 8
    assert count_steps(numbers(20), 8, strategy) == 2
    assert count_steps(numbers(20), 8, strategy, full_batches_only=False) == 3
    assert count_steps(numbers(20).filter(lambda x: x > 3), 8, strategy) is None
    with pytest.raises(ValueError, match="fewer than one global batch"):
        count_steps(numbers(5), 8, strategy)


def test_distributed_dataset_feeds_keras_fit():
    strategy = get_strategy("default")
    clips = tf.data.Dataset.from_tensor_slices(
        (np.zeros((6, 3), "float32"), np.zeros(6, "int32"))
    )
    batches = distribute_dataset(clips, strategy, 2)
    first = next(iter(batches))
    assert first[0].shape == (2, 3)


def test_rejects_what_is_not_a_dataset():
    with pytest.raises(TypeError, match="must be a tf.data.Dataset"):
        distribute_dataset(np.zeros(3), get_strategy("default"), 2)
