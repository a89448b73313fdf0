"""Precompute frozen-CNN percepts once and store them as sharded TFRecords, in-process.

The paper trains GRU-RCNs on percepts of a frozen CNN; computing them once
turns every later epoch into reading files. The writer does not know any
model: `extractor` is any callable mapping float32 frames `[B, T, H, W, 3]`
in 0..255 to `{level_name: [B, T, h, w, c]}`. The on-disk format is in
`percept_cache_format`; `write_percept_cache_beam` writes the same cache
with an Apache Beam pipeline, shard by shard, with the same code.
"""

import tensorflow as tf

from keras_grurcn.data.optical_flow import flow_record
from keras_grurcn.data.optical_flow import resolve_flow_method
from keras_grurcn.data.percept_cache_extraction import write_shard
from keras_grurcn.data.percept_cache_plan import finalize_cache
from keras_grurcn.data.percept_cache_plan import mark_incomplete
from keras_grurcn.data.percept_cache_plan import num_shards
from keras_grurcn.data.percept_cache_plan import pending_shards
from keras_grurcn.data.percept_cache_plan import prepare_plan
from keras_grurcn.data.percept_cache_shards import completed_shard
from keras_grurcn.data.percept_cache_shards import resolve_verify
from keras_grurcn.data.percept_cache_sources import ArraySource
from keras_grurcn.data.percept_cache_sources import DatasetSource
from keras_grurcn.data.percept_cache_sources import VideoSource


def write_percept_cache(
    videos_or_dataset,
    extractor,
    output_dir,
    *,
    num_frames=10,
    image_size=224,
    sampling="uniform",
    modality="rgb",
    flow_method=None,
    flow_bound=None,
    batch_size=8,
    examples_per_shard=256,
    percept_dtype="float16",
    calibration_clips=32,
    on_error="skip",
    error_report=None,
    verify="auto",
    command=None,
    progress=True,
):
    """Run a frozen percept extractor over videos and cache its outputs.

    Resumable and repairable: shard `k` holds the inputs
    `k * examples_per_shard` onwards (by position), each shard is written
    under a `.partial-*` name, renamed when complete and described by its
    summary file. A rerun keeps the shards that are complete and intact and
    rewrites the missing, partial or broken ones (e.g. truncated).
    `failures.jsonl` lists the videos that could not be used, with `path`
    and `reason`; `cache_info.json` is written once, at the end.

    Args:
        videos_or_dataset: a list of `VideoEntry` from any reader (decoded
            by `video_dataset` with `num_frames`, `image_size`, `sampling`,
            evaluation crops, bad files skipped into `failures.jsonl`), a
            tuple `(frames [N, T, H, W, 3], labels [N][, captions])` of
            arrays, or an unbatched `tf.data.Dataset` of `(frames, label)`
            or of dicts with `"frames"` and optional `"label"`,
            `"captions"`, `"video_id"`. Inputs must come in the same order
            on every run (checked for video lists).
        extractor: a callable or Keras model mapping float32 `[B, T, H, W, 3]`
            (0..255) to `{level_name: [B, T, h, w, c]}`.
        output_dir: cache folder, local or a `tf.io.gfile` URL (created).
        num_frames, image_size, sampling: clip decoding for `VideoEntry`
            inputs (see `video_dataset`).
        modality, flow_method, flow_bound: for `VideoEntry` inputs,
            `"flow"` caches the percepts of optical-flow images instead of
            frames (the flow stream of a two-stream model; see
            `video_dataset`): `flow_method` `"auto"` (default: TV-L1 with
            OpenCV's contrib modules, else Farneback), `"farneback"` or
            `"tvl1"`, `flow_bound` in pixels (20). `cache_info.json`
            records the modality and, for flow, the method, bound,
            encoding and frame pairs (`flow_record`).
        batch_size: clips per extractor call.
        examples_per_shard: clips per TFRecord shard.
        percept_dtype: storage, `"float16"`, `"bfloat16"` or `"uint8"` (a
            per-level scale and offset calibrated on the first
            `calibration_clips` clips, recorded in the cache and applied by
            `percept_dataset`; values beyond the calibrated range are
            clipped and counted in `cache_info.json`).
        calibration_clips: clips the uint8 scales are calibrated on.
        on_error, error_report: bad-file handling for `VideoEntry` inputs.
        verify: how existing shards are checked before being kept:
            `"records"` (size and record count), `"size"`, `"none"` or
            `"auto"` (records locally, size on object storage).
        command: the command that reruns this extraction, quoted by the
            errors that find the cache broken.
        progress: show a tqdm progress bar.

    Returns:
        The cache info dict also written to `cache_info.json`.

    Examples:

    ```python
    def extractor(frames):  # Any callable: mean colour per frame.
        return {"colour": frames.mean(axis=(2, 3), keepdims=True)}

    clips = keras_grurcn.data.make_motion_clips(8, num_frames=4)
    keras_grurcn.data.write_percept_cache(clips, extractor, "/tmp/cache")
    ```
    """
    from tqdm.auto import tqdm

    if batch_size < 1 or calibration_clips < 1:
        raise ValueError("batch_size and calibration_clips must be >= 1.")
    verify = resolve_verify(verify, output_dir)
    output_dir, per_shard = str(output_dir), examples_per_shard
    inputs = cache_inputs(modality, flow_method, flow_bound)
    if modality == "flow" and isinstance(videos_or_dataset, (tf.data.Dataset, tuple)):
        raise ValueError(
            "write_percept_cache: modality='flow' computes flow while decoding "
            "videos, so it needs a list of VideoEntry; for clips in memory, "
            "make flow images with keras_grurcn.data.flow_images and cache "
            "them as frames."
        )
    if isinstance(videos_or_dataset, tf.data.Dataset):
        source = DatasetSource(videos_or_dataset, batch_size)
    elif isinstance(videos_or_dataset, tuple):
        source = ArraySource(videos_or_dataset, batch_size)
    else:
        video_options = dict(
            num_frames=num_frames,
            image_size=image_size,
            sampling=sampling,
            on_error=on_error,
            **inputs["video_options"],
        )
        source = VideoSource(videos_or_dataset, batch_size, video_options, error_report)
    plan = prepare_plan(
        output_dir,
        examples_per_shard=per_shard,
        num_inputs=source.total,
        dtype=percept_dtype,
        fingerprint=source.fingerprint,
        command=command,
        calibrate=lambda: source.calibrate(extractor, calibration_clips),
        modality=modality,
        flow=inputs["flow"],
    )

    def done(shard):
        return completed_shard(output_dir, shard, per_shard, verify)

    if source.total is not None:
        pending = set(
            pending_shards(
                output_dir, plan, num_shards(source.total, per_shard), verify
            )
        )
        is_pending = pending.__contains__
        total = sum(min(per_shard, source.total - s * per_shard) for s in pending)
    else:
        is_pending, total = (lambda shard: done(shard) is None), None
    # Levels of a shard kept from an earlier run: the extractor must match.
    found = done(0)
    levels = found["levels"] if found and found["num_examples"] else None
    bar = tqdm(total=total, desc="percepts", disable=not progress)
    for number, (shard, batches, inputs, reasons) in enumerate(
        source.shards(per_shard, is_pending)
    ):
        if number == 0 and source.total is None:
            mark_incomplete(output_dir)
        summary = write_shard(
            output_dir,
            plan,
            shard,
            batches,
            extractor,
            levels=levels,
            inputs=inputs,
            failure_reasons=reasons,
            on_batch=bar.update,
        )
        levels = levels or (summary["levels"] if summary["num_examples"] else None)
    bar.close()
    count = (
        num_shards(source.total, per_shard)
        if source.total is not None
        else source.total_shards
    )
    return finalize_cache(output_dir, plan, count, verify)


def cache_inputs(modality, flow_method, flow_bound):
    """What a cache's clips are: `video_dataset` options and the cache's record.

    Returns:
        `{"video_options": {...}, "flow": flow_record or None}`, with
        `flow_method="auto"` (or `None`) resolved to the method installed.
    """
    if modality != "flow":
        if modality != "rgb" or (flow_method, flow_bound) != (None, None):
            raise ValueError(
                f"modality must be 'rgb' or 'flow', got {modality!r} (and "
                "flow_method / flow_bound only go with 'flow')."
            )
        return {"video_options": {}, "flow": None}
    record = flow_record(resolve_flow_method(flow_method or "auto"), flow_bound)
    options = dict(
        modality="flow", flow_method=record["method"], flow_bound=record["bound"]
    )
    return {"video_options": options, "flow": record}
