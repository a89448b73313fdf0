"""Stream cached percepts back as `({level: [B, T, h, w, c]}, target)` batches."""

import os

import tensorflow as tf

from keras_grurcn.data.percept_cache_format import PERCEPT_KEY, read_cache_info

PERCEPT_TARGETS = ("label", "caption", "captions", "video_id")


def percept_dataset(
    cache_dir,
    batch_size,
    *,
    target="label",
    levels=None,
    shuffle=False,
    shuffle_buffer=1024,
    seed=None,
    repeat=False,
    drop_remainder=False,
    dtype="float32",
    num_parallel_reads=tf.data.AUTOTUNE,
):
    """Read a cache written by `write_percept_cache` for `model.fit`.

    Records are batched first and parsed batch-wise (`tf.io.parse_example`,
    one `decode_raw` per level), which keeps feeding from the cache close to
    feeding from in-memory tensors; shapes are static, from
    `cache_info.json`.

    Args:
        cache_dir: folder of a complete cache.
        batch_size: clips per batch.
        target: `"label"` (int32 `[B]`), `"caption"` (one element per
            (clip, caption) pair, string `[B]`, for captioning), `"captions"`
            (all captions of a clip, ragged string `[B, None]`) or
            `"video_id"` (string `[B]`).
        levels: level names to read (default: all, in cache order).
        shuffle: shuffle shards and examples (each epoch).
        shuffle_buffer: examples in the shuffle buffer.
        seed: shuffle seed.
        repeat: repeat forever.
        drop_remainder: drop the last incomplete batch.
        dtype: dtype of the percepts (stored as float16).
        num_parallel_reads: shards read in parallel when shuffling.

    Returns:
        A `tf.data.Dataset` of `({level: [B, T, h, w, c]}, target)`.

    Examples:

    ```python
    dataset = keras_grurcn.data.percept_dataset("/tmp/cache", batch_size=2)
    percepts, labels = next(iter(dataset))
    ```
    """
    if target not in PERCEPT_TARGETS:
        raise ValueError(f"target must be one of {PERCEPT_TARGETS}, got {target!r}.")
    info = read_cache_info(cache_dir)
    shapes = info["levels"]
    levels = list(shapes) if levels is None else list(levels)
    unknown = [name for name in levels if name not in shapes]
    if unknown:
        raise ValueError(
            f"percept_dataset: levels {unknown} are not in the cache; it holds "
            f"{list(shapes)}."
        )
    files = [os.path.join(str(cache_dir), s["file"]) for s in info["shards"]]
    files = [f for f, s in zip(files, info["shards"]) if s["num_examples"]]
    features = {
        PERCEPT_KEY.format(name): tf.io.FixedLenFeature([], tf.string)
        for name in levels
    }
    features["label"] = tf.io.FixedLenFeature([], tf.int64)
    features["video_id"] = tf.io.FixedLenFeature([], tf.string)
    if target in ("caption", "captions"):
        features["captions"] = tf.io.RaggedFeature(tf.string)

    def decode(parsed, leading):
        percepts = {}
        for name in levels:
            raw = tf.io.decode_raw(parsed[PERCEPT_KEY.format(name)], tf.float16)
            percepts[name] = tf.cast(tf.reshape(raw, leading + shapes[name]), dtype)
        return percepts

    if shuffle:
        dataset = tf.data.Dataset.from_tensor_slices(files)
        dataset = dataset.shuffle(len(files), seed=seed, reshuffle_each_iteration=True)
        dataset = dataset.interleave(
            tf.data.TFRecordDataset,
            cycle_length=max(1, min(len(files), 4)),
            num_parallel_calls=num_parallel_reads,
            deterministic=False,
        )
        dataset = dataset.shuffle(shuffle_buffer, seed=seed)
    else:
        # Shards one after the other: clips come back in cache order.
        dataset = tf.data.TFRecordDataset(files, buffer_size=8 << 20)
    if repeat:
        dataset = dataset.repeat()
    elif target != "caption":
        # Record counts are known: Keras then knows the steps per epoch.
        dataset = dataset.apply(
            tf.data.experimental.assert_cardinality(info["num_examples"])
        )

    if target == "caption":
        # One element per (clip, caption) pair, then batched.
        def pairs(record):
            parsed = tf.io.parse_single_example(record, features)
            captions = parsed["captions"]
            percepts = decode(parsed, [])
            repeated = tf.data.Dataset.from_tensors(percepts).repeat(
                tf.size(captions, tf.int64)
            )
            return tf.data.Dataset.zip(
                (repeated, tf.data.Dataset.from_tensor_slices(captions))
            )

        dataset = dataset.flat_map(pairs)
        if not repeat:
            dataset = dataset.apply(
                tf.data.experimental.assert_cardinality(info["num_captions"])
            )
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
        return dataset.prefetch(tf.data.AUTOTUNE)

    def parse_batch(records):
        parsed = tf.io.parse_example(records, features)
        percepts = decode(parsed, [-1])
        if target == "label":
            value = tf.cast(parsed["label"], tf.int32)
        elif target == "video_id":
            value = parsed["video_id"]
        else:
            value = parsed["captions"]
        return percepts, value

    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(parse_batch, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)
