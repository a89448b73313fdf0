"""Extracting and writing one shard: the unit of work of every cache writer.

The in-process writer calls `write_shard` for each shard in turn; the Beam
pipeline calls `write_video_shard` on its workers, one shard per element.
Either way the shard's records, summary and failures come from this code.
"""

import dataclasses
import os
import tempfile

import numpy as np
import tensorflow as tf

from keras_grurcn.data.decode_report import DecodeReport
from keras_grurcn.data.decode_report import logger
from keras_grurcn.data.percept_cache_shards import ShardWriter
from keras_grurcn.data.video_dataset import video_dataset


def call_extractor(extractor, frames):
    """`{level: float32 [B, T, ...]}` from a Keras model or any callable."""
    import keras

    frames = np.asarray(frames, np.float32)
    if isinstance(extractor, keras.layers.Layer):
        outputs = extractor(frames, training=False)
    else:
        outputs = extractor(frames)
    if not isinstance(outputs, dict) or not outputs:
        raise TypeError(
            "The percept extractor must return a dict "
            f"{{level_name: [B, T, h, w, c]}}, got {type(outputs).__name__}."
        )
    arrays = {}
    for name, value in outputs.items():
        value = np.asarray(keras.ops.convert_to_numpy(value), np.float32)
        if value.shape[:2] != frames.shape[:2]:
            raise ValueError(
                f"The percept extractor's level {name!r} has shape {value.shape}; "
                f"expected [B, T, ...] with B, T = {frames.shape[:2]}."
            )
        arrays[str(name)] = value
    return arrays


def write_shard(
    cache_dir,
    plan,
    shard,
    batches,
    extractor,
    *,
    levels=None,
    inputs=(),
    failure_reasons=None,
    on_batch=None,
):
    """Extract percepts of `batches` and write them as shard `shard`.

    Args:
        cache_dir: the cache folder.
        plan: the run's plan (`prepare_plan`): dtype and uint8 scales.
        shard: the shard number.
        batches: `(indices, frames, metadata)` batches of this shard, in
            input order; `metadata[row]` has `label`, `captions`, `video_id`.
        extractor: frames `[B, T, H, W, 3]` -> `{level: [B, T, ...]}`.
        levels: the level shapes the extractor must give (default: the
            plan's, if it has them).
        inputs: `(index, VideoEntry)` of the shard's videos: those without a
            record become its failures.
        failure_reasons: a function returning `{path: reason}` of the videos
            that failed (called once `batches` is consumed).
        on_batch: called with each batch's clip count (progress bars).

    Returns:
        The shard's summary (also written beside it).
    """
    writer = ShardWriter(cache_dir, shard, plan["dtype"], plan["quantization"])
    levels = levels or plan["levels"]
    written = set()
    try:
        for indices, frames, metadata in batches:
            percepts = call_extractor(extractor, frames)
            shapes = {name: list(value.shape[1:]) for name, value in percepts.items()}
            if levels is None:
                levels = shapes
            elif shapes != levels:
                raise ValueError(
                    f"The percept extractor's levels {shapes} differ from the "
                    f"cache's {levels}."
                )
            for row, index in enumerate(indices):
                writer.write(
                    {name: value[row] for name, value in percepts.items()},
                    index=int(index),
                    **metadata[row],
                )
                written.add(int(index))
            if on_batch:
                on_batch(len(indices))
    except BaseException:
        writer.abort()
        raise
    reasons = failure_reasons() if failure_reasons else {}
    failures = [
        {
            "index": int(index),
            "path": entry.path,
            "reason": reasons.get(entry.path, "could not be decoded."),
            "video_id": entry.video_id,
        }
        for index, entry in inputs
        if int(index) not in written
    ]
    return writer.finish(levels, failures)


def video_shard_batches(
    indexed_entries, *, batch_size, video_options, error_report=None
):
    """A shard's decoded videos as `write_shard` batches, and their failures.

    Videos on object storage (a `tf.io.gfile` URL such as `gs://...`) are
    copied to a temporary folder for the shard's lifetime, since FFmpeg
    reads local files.

    Args:
        indexed_entries: `(index, VideoEntry)` pairs of the shard, in order.
        batch_size: clips per batch.
        video_options: `video_dataset` arguments (`num_frames`,
            `image_size`, `sampling`, `on_error`).
        error_report: a `DecodeReport` to collect the skipped files in.

    Returns:
        `(batches, failure_reasons)` for `write_shard`.
    """
    report = DecodeReport() if error_report is None else error_report
    indices = [int(index) for index, _ in indexed_entries]
    entries = [entry for _, entry in indexed_entries]
    originals, copy_problems = {}, {}

    def batches():
        if not entries:
            return
        with tempfile.TemporaryDirectory(prefix="keras_grurcn_videos_") as folder:
            staged = [
                (position, _staged(entry, position, folder, originals, copy_problems))
                for position, entry in enumerate(entries)
            ]
            yield from decoded([(p, e) for p, e in staged if e is not None])

    def decoded(staged):
        if not staged:
            return
        dataset = video_dataset(
            [entry for _, entry in staged],
            batch_size=batch_size,
            target="index",
            error_report=report,
            **video_options,
        )
        for frames, rows in dataset.as_numpy_iterator():
            positions = [staged[row][0] for row in rows]
            metadata = [
                {
                    "label": entries[p].label,
                    "captions": list(entries[p].captions),
                    "video_id": entries[p].video_id,
                }
                for p in positions
            ]
            yield [indices[p] for p in positions], frames, metadata

    def failure_reasons():
        reasons = {
            originals.get(path, path): why for path, why in list(report.failures)
        }
        return {**reasons, **copy_problems}

    return batches(), failure_reasons


def _staged(entry, position, folder, originals, copy_problems):
    """The entry, or for a remote video one of its local copy (None if it fails)."""
    if "://" not in entry.path:
        return entry
    local = os.path.join(folder, f"{position:05d}_{os.path.basename(entry.path)}")
    try:
        tf.io.gfile.copy(entry.path, local, overwrite=True)
    except tf.errors.OpError as error:
        copy_problems[entry.path] = f"could not be copied to decode it: {error.message}"
        logger.warning("Skipped video %s: %s", entry.path, copy_problems[entry.path])
        return None
    originals[local] = entry.path
    return dataclasses.replace(entry, path=local)


def write_video_shard(
    cache_dir, plan, shard, indexed_entries, extractor, *, batch_size, video_options
):
    """Decode a shard's videos (bad ones become failures) and write it.

    Returns:
        The shard's summary (see `write_shard`).
    """
    batches, failure_reasons = video_shard_batches(
        indexed_entries, batch_size=batch_size, video_options=video_options
    )
    return write_shard(
        cache_dir,
        plan,
        shard,
        batches,
        extractor,
        inputs=list(indexed_entries),
        failure_reasons=failure_reasons,
    )
