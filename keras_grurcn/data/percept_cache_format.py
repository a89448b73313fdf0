"""The on-disk format of the percept cache, shared by its writer and reader."""

import json
import os

import numpy as np
import tensorflow as tf

CACHE_INFO = "cache_info.json"
PROGRESS = "progress.json"
PERCEPT_KEY = "percept/{}"


def shard_name(shard):
    return f"percepts-{shard:05d}.tfrecord"


def _bytes(values):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))


def _int64(values):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=values))


def encode_example(percepts, *, index, label, captions, video_id):
    """Serialise one clip: float16 percepts (C order) and its targets."""
    features = {
        PERCEPT_KEY.format(name): _bytes([np.ascontiguousarray(value, "<f2").tobytes()])
        for name, value in percepts.items()
    }
    features["index"] = _int64([index])
    features["label"] = _int64([label])
    features["video_id"] = _bytes([video_id.encode()])
    features["captions"] = _bytes([c.encode() for c in captions])
    example = tf.train.Example(features=tf.train.Features(feature=features))
    return example.SerializeToString()


def read_cache_info(cache_dir):
    """The `cache_info.json` of a complete cache (levels, shapes, shards, counts).

    Examples:

    ```python
    def extractor(frames):  # Any callable: mean colour per frame.
        return {"colour": frames.mean(axis=(2, 3), keepdims=True)}

    clips = keras_grurcn.data.make_motion_clips(8, num_frames=4)
    keras_grurcn.data.write_percept_cache(clips, extractor, "/tmp/cache", progress=False)
    keras_grurcn.data.read_cache_info("/tmp/cache")["num_examples"]  # 8
    ```
    """
    path = os.path.join(str(cache_dir), CACHE_INFO)
    if not os.path.isfile(path):
        partial = os.path.isfile(os.path.join(str(cache_dir), PROGRESS))
        hint = (
            "it is incomplete: run write_percept_cache again with the same "
            "inputs to resume it"
            if partial
            else "write one with write_percept_cache"
        )
        raise FileNotFoundError(f"No percept cache in {str(cache_dir)!r}: {hint}.")
    with open(path) as file:
        return json.load(file)
