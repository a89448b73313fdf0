"""The on-disk format of the percept cache, shared by its writers and reader.

A cache folder (local or any `tf.io.gfile` URL, e.g. `gs://`) holds:

- `percepts-00000.tfrecord`, ...: one `tf.train.Example` per clip
  (`percept/<level>` bytes in the cache's dtype, C order; `label`,
  `captions`, `video_id`, `index`). Shard `k` holds the inputs
  `k * examples_per_shard` .. `(k + 1) * examples_per_shard - 1` that could
  be used, in input order.
- `percepts-00000.summary.json`, ...: written when a shard is complete
  (counts, bytes, levels, the videos that failed); a shard without one, or
  whose size differs from it, is rewritten by the next run.
- `progress.json`: what the run was started with (shard size, dtype and
  uint8 scales, input count and fingerprint), so a rerun resumes only with
  the same inputs.
- `failures.jsonl` and `cache_info.json`, written once at the end: one JSON
  object per video that could not be used (`path`, `reason`, ...), and the
  levels, shapes, dtype, counts and shard list `percept_dataset` reads.
"""

import tensorflow as tf

from keras_grurcn.data.percept_cache_metadata import check_cache_info
from keras_grurcn.data.percept_cache_metadata import read_json
from keras_grurcn.data.percept_cache_storage import encode_percepts

CACHE_INFO = "cache_info.json"
PROGRESS = "progress.json"
FAILURES = "failures.jsonl"
PERCEPT_KEY = "percept/{}"


def shard_name(shard):
    return f"percepts-{shard:05d}.tfrecord"


def summary_name(shard):
    return f"percepts-{shard:05d}.summary.json"


def cache_path(cache_dir, name):
    return str(cache_dir).rstrip("/") + "/" + name


def rewrite_hint(command):
    """How to repair a cache: the recorded command, or the library call."""
    if command:
        return f"rewrite it with `{command}` (good shards are kept)"
    return (
        "rewrite it by running the writer (write_percept_cache or "
        "write_percept_cache_beam) again with the same inputs and folder "
        "(good shards are kept)"
    )


def _bytes(values):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))


def _int64(values):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=values))


def encode_example(
    percepts,
    *,
    index,
    label,
    captions,
    video_id,
    dtype="float16",
    quantization=None,
):
    """Serialise one clip; returns `(record, {level: values clipped})`."""
    features, clipped = {}, {}
    for name, value in percepts.items():
        code = quantization[name] if quantization else None
        data, clipped[name] = encode_percepts(value, dtype, code)
        features[PERCEPT_KEY.format(name)] = _bytes([data])
    features["index"] = _int64([index])
    features["label"] = _int64([label])
    features["video_id"] = _bytes([video_id.encode()])
    features["captions"] = _bytes([c.encode() for c in captions])
    example = tf.train.Example(features=tf.train.Features(feature=features))
    return example.SerializeToString(), clipped


def read_cache_info(cache_dir):
    """The validated `cache_info.json` of a complete cache.

    The file is checked before anything is sized from it (types, bounded
    shapes and counts, shard names that stay inside the folder): a bad one
    is a `PerceptCacheError` naming it.

    Examples:

    ```python
    def extractor(frames):  # Any callable: mean colour per frame.
        return {"colour": frames.mean(axis=(2, 3), keepdims=True)}

    clips = keras_grurcn.data.make_motion_clips(8, num_frames=4)
    keras_grurcn.data.write_percept_cache(clips, extractor, "/tmp/cache", progress=False)
    keras_grurcn.data.read_cache_info("/tmp/cache")["num_examples"]  # 8
    ```
    """
    path = cache_path(cache_dir, CACHE_INFO)
    if not tf.io.gfile.exists(path):
        partial = tf.io.gfile.exists(cache_path(cache_dir, PROGRESS))
        hint = (
            "it is incomplete: " + rewrite_hint(None).replace("rewrite", "finish", 1)
            if partial
            else "write one with write_percept_cache"
        )
        raise FileNotFoundError(f"No percept cache in {str(cache_dir)!r}: {hint}.")
    return check_cache_info(read_json(path, tf.io.gfile), path, shard_name)
