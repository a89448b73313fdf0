"""A percept cache as the unbatched examples `train_and_evaluate` takes."""


def percept_examples(
    cache_dir, levels=None, read_batch_size=64, *, shuffle=False, seed=None
):
    """A function returning the cache's `(percepts, label)` examples, unbatched.

    `train_and_evaluate` batches per replica itself and needs the number
    of examples to size its epochs, which `unbatch` loses: the dataset gets
    it back from `cache_info.json`. The cache is read in batches of
    `read_batch_size` (parsing batch-wise is faster) and split again.

    Args:
        cache_dir: a complete percept cache.
        levels: the levels to read (default: all).
        read_batch_size: records parsed at a time.
        shuffle: read the shards in a new order every epoch (the same on
            every worker: seeded); `train_and_evaluate`'s buffer mixes the
            clips.
        seed: the shard order's seed.

    Returns:
        A function without arguments returning the `tf.data.Dataset` (built
        when called, after the strategy exists).

    Examples:

    ```python
    def extractor(frames):  # Any callable: mean colour per frame.
        return {"colour": frames.mean(axis=(2, 3), keepdims=True)}

    clips = keras_grurcn.data.make_motion_clips(8, num_frames=4)
    keras_grurcn.data.write_percept_cache(clips, extractor, "/tmp/cache", progress=False)
    examples = keras_grurcn.training.percept_examples("/tmp/cache")
    examples().cardinality().numpy()  # 8
    ```
    """

    def examples():
        import tensorflow as tf

        from keras_grurcn.data.percept_cache_format import read_cache_info
        from keras_grurcn.data.percept_dataset import percept_dataset

        clips = read_cache_info(cache_dir)["num_examples"]
        return (
            percept_dataset(
                cache_dir,
                read_batch_size,
                levels=levels,
                shuffle=shuffle,
                shuffle_buffer=1,
                seed=seed,
            )
            .unbatch()
            .apply(tf.data.experimental.assert_cardinality(clips))
        )

    return examples
