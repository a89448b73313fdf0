"""Writing one shard of the percept cache, and telling a good shard from a broken one.

Both writers (in-process and Beam) write shards through `ShardWriter`: the
records go to a uniquely named `.partial-*` file (two attempts at the same
shard, as a distributed runner may make, never write into one file), which
is renamed when complete; then the shard's summary is written. A shard
counts as done only if its summary is there and the file still has the
bytes (and, locally, the records) the summary says.
"""

import json
import logging
import struct
import uuid

import tensorflow as tf

from keras_grurcn.data.percept_cache_format import cache_path
from keras_grurcn.data.percept_cache_format import encode_example
from keras_grurcn.data.percept_cache_format import shard_name
from keras_grurcn.data.percept_cache_format import summary_name
from keras_grurcn.data.percept_cache_metadata import PerceptCacheError
from keras_grurcn.data.percept_cache_metadata import check_shard_summary
from keras_grurcn.data.percept_cache_metadata import read_json

logger = logging.getLogger("keras_grurcn.data")

VERIFY_MODES = ("auto", "records", "size", "none")
# A TFRecord is: length (uint64 LE), its CRC (4), data, the data's CRC (4).
_HEADER = 12
_FOOTER = 4


def resolve_verify(verify, cache_dir):
    """`"auto"`: walk the records of local shards, only stat remote ones."""
    if verify not in VERIFY_MODES:
        raise ValueError(f"verify must be one of {VERIFY_MODES}, got {verify!r}.")
    if verify == "auto":
        return "size" if "://" in str(cache_dir) else "records"
    return verify


def write_bytes(path, content):
    """Write a file atomically (a reader sees the old file or the new one)."""
    partial = f"{path}.partial-{uuid.uuid4().hex[:8]}"
    with tf.io.gfile.GFile(partial, "wb") as file:
        file.write(content)
    tf.io.gfile.rename(partial, path, overwrite=True)


def write_text(path, text):
    write_bytes(path, text.encode())


def write_json(path, content):
    write_text(path, json.dumps(content, indent=1))


def count_records(path, size):
    """Records in a TFRecord file by its framing (12 bytes read per record).

    Returns None when the framing does not end exactly at `size` bytes.
    """
    position, count = 0, 0
    with tf.io.gfile.GFile(path, "rb") as file:
        while position < size:
            file.seek(position)
            header = file.read(_HEADER)
            if len(header) < _HEADER:
                return None
            (length,) = struct.unpack("<Q", header[:8])
            position += _HEADER + length + _FOOTER
            count += 1
    return count if position == size else None


def shard_problem(path, num_bytes, num_examples, verify):
    """What is wrong with a shard file (None if nothing is, or not verified)."""
    if verify == "none":
        return None
    if not tf.io.gfile.exists(path):
        return "is missing"
    size = tf.io.gfile.stat(path).length
    if size != num_bytes:
        kind = "truncated" if size < num_bytes else "overwritten"
        return f"has {size} bytes where {num_bytes} were written ({kind})"
    if verify == "records":
        records = count_records(path, size)
        if records != num_examples:
            found = "unreadable record framing" if records is None else records
            return f"holds {found} records where {num_examples} were written"
    return None


def completed_shard(cache_dir, shard, examples_per_shard, verify):
    """The summary of a shard that is complete and intact, else None."""
    path = cache_path(cache_dir, summary_name(shard))
    if not tf.io.gfile.exists(path):
        return None
    try:
        summary = check_shard_summary(
            read_json(path, tf.io.gfile),
            path,
            shard,
            shard_name(shard),
            examples_per_shard,
        )
    except PerceptCacheError as error:
        logger.warning("Rewriting shard %d: %s", shard, error)
        return None
    problem = shard_problem(
        cache_path(cache_dir, summary["file"]),
        summary["num_bytes"],
        summary["num_examples"],
        verify,
    )
    if problem:
        logger.warning("Rewriting shard %s: it %s.", summary["file"], problem)
        return None
    return summary


def remove_partials(cache_dir):
    """Delete what interrupted runs left half-written."""
    for path in tf.io.gfile.glob(cache_path(cache_dir, "*.partial-*")):
        tf.io.gfile.remove(path)


class ShardWriter:
    """Writes the records of one shard, then its summary.

    Args:
        cache_dir: the cache folder.
        shard: the shard number.
        dtype: the storage dtype (`PERCEPT_DTYPES`).
        quantization: uint8 `{level: {"scale", "offset"}}`, else None.
    """

    def __init__(self, cache_dir, shard, dtype, quantization):
        self.cache_dir, self.shard = str(cache_dir), shard
        self.dtype, self.quantization = dtype, quantization
        self.file = shard_name(shard)
        self._partial = cache_path(
            cache_dir, f"{self.file}.partial-{uuid.uuid4().hex[:8]}"
        )
        self._writer = tf.io.TFRecordWriter(self._partial)
        self.num_examples, self.num_captions, self.clipped = 0, 0, {}

    def write(self, percepts, *, index, label, captions, video_id):
        record, clipped = encode_example(
            percepts,
            index=index,
            label=label,
            captions=captions,
            video_id=video_id,
            dtype=self.dtype,
            quantization=self.quantization,
        )
        self._writer.write(record)
        self.num_examples += 1
        self.num_captions += len(captions)
        for level, count in clipped.items():
            self.clipped[level] = self.clipped.get(level, 0) + count

    def finish(self, levels, failures):
        """Publish the shard and its summary; returns the summary."""
        self._writer.close()
        path = cache_path(self.cache_dir, self.file)
        tf.io.gfile.rename(self._partial, path, overwrite=True)
        summary = {
            "shard": self.shard,
            "file": self.file,
            "num_examples": self.num_examples,
            "num_captions": self.num_captions,
            "num_bytes": tf.io.gfile.stat(path).length,
            "levels": levels,
            "clipped_values": self.clipped,
            "failures": sorted(failures, key=lambda failure: failure["index"]),
        }
        write_json(cache_path(self.cache_dir, summary_name(self.shard)), summary)
        return summary

    def abort(self):
        self._writer.close()
        if tf.io.gfile.exists(self._partial):
            tf.io.gfile.remove(self._partial)
