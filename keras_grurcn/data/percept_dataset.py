"""Stream cached percepts back as `({level: [B, T, h, w, c]}, target)` batches."""

import tensorflow as tf

from keras_grurcn.data.percept_cache_format import PERCEPT_KEY
from keras_grurcn.data.percept_cache_format import cache_path
from keras_grurcn.data.percept_cache_format import read_cache_info
from keras_grurcn.data.percept_cache_format import rewrite_hint
from keras_grurcn.data.percept_cache_metadata import PerceptCacheError
from keras_grurcn.data.percept_cache_shards import resolve_verify
from keras_grurcn.data.percept_cache_shards import shard_problem
from keras_grurcn.data.percept_cache_storage import decode_percepts

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
    verify="auto",
):
    """Read a cache written by `write_percept_cache` for `model.fit`.

    Records are batched first and parsed batch-wise (`tf.io.parse_example`,
    one `decode_raw` per level), which keeps feeding from the cache close to
    feeding from in-memory tensors; shapes are static, from
    `cache_info.json`. Percepts stored as bfloat16 or uint8 (see
    `write_percept_cache`'s `percept_dtype`) are decoded here, uint8 with
    the per-level scale and offset recorded in the cache.

    Each shard is checked against `cache_info.json` when the dataset is
    made (a truncated or missing shard is a `PerceptCacheError` naming it
    and the command that rewrites it, not a `DataLossError` in the middle
    of `fit`).

    Args:
        cache_dir: folder of a complete cache.
        batch_size: clips per batch.
        target: `"label"` (int32 `[B]`), `"caption"` (one element per
            (clip, caption) pair, string `[B]`, for captioning), `"captions"`
            (all captions of a clip, ragged string `[B, None]`) or
            `"video_id"` (string `[B]`).
        levels: level names to read (default: all, in cache order).
        shuffle: shuffle shards and examples (each epoch).
        shuffle_buffer: examples in the shuffle buffer (serialized records;
            `1`: only the shard order changes).
        seed: shuffle seed; with one, the order is reproducible (and the
            same in every process).
        repeat: repeat forever.
        drop_remainder: drop the last incomplete batch.
        dtype: dtype of the percepts returned (whatever the storage).
        num_parallel_reads: shards read in parallel when shuffling.
        verify: shard check, `"records"` (size and record count, reading
            12 bytes per record), `"size"`, `"none"` or `"auto"` (records
            for local folders, size on object storage).

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
    files = _checked_shards(cache_dir, info, resolve_verify(verify, cache_dir))
    features = {
        PERCEPT_KEY.format(name): tf.io.FixedLenFeature([], tf.string)
        for name in levels
    }
    features["label"] = tf.io.FixedLenFeature([], tf.int64)
    features["video_id"] = tf.io.FixedLenFeature([], tf.string)
    if target in ("caption", "captions"):
        features["captions"] = tf.io.RaggedFeature(tf.string)

    quantization = info.get("quantization") or {}

    def decode(parsed, leading):
        return {
            name: decode_percepts(
                parsed[PERCEPT_KEY.format(name)],
                info["dtype"],
                quantization.get(name),
                leading + shapes[name],
                dtype,
            )
            for name in levels
        }

    if shuffle:
        dataset = tf.data.Dataset.from_tensor_slices(files)
        dataset = dataset.shuffle(len(files), seed=seed, reshuffle_each_iteration=True)
        dataset = dataset.interleave(
            tf.data.TFRecordDataset,
            cycle_length=max(1, min(len(files), 4)),
            num_parallel_calls=num_parallel_reads,
            # Seeded: the same order on every worker, so that sharding the
            # stream by element (`distribute_dataset`) splits it exactly.
            deterministic=seed is not None,
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


def _checked_shards(cache_dir, info, verify):
    """The paths of the non-empty shards, each checked against `cache_info.json`."""
    files = []
    for shard in info["shards"]:
        path = cache_path(cache_dir, shard["file"])
        problem = shard_problem(path, shard["num_bytes"], shard["num_examples"], verify)
        if problem:
            raise PerceptCacheError(
                path,
                f"this shard {problem}; {rewrite_hint(info.get('command'))}.",
            )
        if shard["num_examples"]:
            files.append(path)
    return files
