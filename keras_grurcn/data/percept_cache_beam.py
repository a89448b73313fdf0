"""Percept extraction that scales out: the cache written by an Apache Beam pipeline.

The same cache as `write_percept_cache` (same shards, records, summaries,
`failures.jsonl` and `cache_info.json`), written by any Beam runner: the
DirectRunner on one machine, Dataflow, Flink or Spark on many. Apache Beam
is optional: `pip install "keras-grurcn[beam]"`.
"""

import logging

from keras_grurcn.data.percept_cache_format import cache_path
from keras_grurcn.data.percept_cache_format import read_cache_info
from keras_grurcn.data.percept_cache_plan import finalize_cache
from keras_grurcn.data.percept_cache_plan import num_shards
from keras_grurcn.data.percept_cache_plan import pending_shards
from keras_grurcn.data.percept_cache_plan import prepare_plan
from keras_grurcn.data.percept_cache_shards import resolve_verify
from keras_grurcn.data.percept_cache_shards import write_bytes
from keras_grurcn.data.percept_cache_sources import VideoSource
from keras_grurcn.data.percept_cache_writer import cache_inputs

logger = logging.getLogger("keras_grurcn.data")

INPUTS = "inputs.jsonl"
BEAM_RUNNERS = {
    "direct": "DirectRunner",
    "prism": "PrismRunner",
    "dataflow": "DataflowRunner",
    "flink": "FlinkRunner",
    "spark": "SparkRunner",
}


def _import_beam():
    try:
        import apache_beam
    except ImportError:
        raise ImportError(
            "write_percept_cache_beam needs Apache Beam: "
            'pip install "keras-grurcn[beam]".'
        ) from None
    return apache_beam


def beam_pipeline_options(runner, options=()):
    """Beam `PipelineOptions` for a runner name and `KEY=VALUE` options.

    Args:
        runner: a key of `BEAM_RUNNERS` (`"direct"`, `"prism"`,
            `"dataflow"`, `"flink"`, `"spark"`).
        options: pipeline options as `"KEY=VALUE"` (or `"KEY"` for a
            switch), e.g. `"direct_num_workers=2"`, `"project=my-project"`,
            passed to Beam as `--KEY=VALUE`. With the DirectRunner and more
            than one worker, workers are processes
            (`direct_running_mode=multi_processing`) unless told otherwise.

    Returns:
        A `PipelineOptions`.

    Examples:

    ```python
    options = keras_grurcn.data.beam_pipeline_options(
        "direct", ["direct_num_workers=2"]
    )
    options.get_all_options()["direct_running_mode"]  # "multi_processing"
    ```
    """
    _import_beam()
    from apache_beam.options.pipeline_options import PipelineOptions

    if runner not in BEAM_RUNNERS:
        raise ValueError(
            f"runner must be one of {', '.join(BEAM_RUNNERS)}; got {runner!r}."
        )
    flags, keys = [f"--runner={BEAM_RUNNERS[runner]}"], {}
    for option in options:
        key, has_value, value = str(option).partition("=")
        key = key.strip().lstrip("-")
        if not key or " " in key:
            raise ValueError(
                f"Beam option {option!r} must be KEY=VALUE, e.g. direct_num_workers=2."
            )
        keys[key] = value
        flags.append(f"--{key}={value}" if has_value else f"--{key}")
    workers = keys.get("direct_num_workers", "1")
    if runner == "direct" and "direct_running_mode" not in keys and workers != "1":
        # Threads would share one interpreter (and TensorFlow) between workers.
        flags.append("--direct_running_mode=multi_processing")
    options = PipelineOptions(flags)
    unknown = [
        key
        for key in keys
        if key not in options.get_all_options(retain_unknown_options=False)
    ]
    if unknown:
        raise ValueError(
            f"Unknown Beam pipeline option(s) {', '.join(unknown)} for {runner}; "
            "see the runner's documentation for their names."
        )
    return options


def write_percept_cache_beam(
    videos,
    preprocessor_dir,
    output_dir,
    *,
    runner="direct",
    pipeline_options=(),
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
    verify="auto",
    command=None,
):
    """Write a percept cache with an Apache Beam pipeline.

    The cache is the one `write_percept_cache` writes from the same
    videos: same shard contents (shard `k` holds inputs
    `k * examples_per_shard` onwards, in input order), same records and
    `cache_info.json`, so `percept_dataset` and `grurcn train` read it
    unchanged. The input list is written to the cache folder first
    (`inputs.jsonl`); the pipeline spreads the pending shards over the
    workers and writes each shard on one: decode and sample its videos (files that
    fail go to the shard's dead letters), extract percepts in batches with
    the cache's `VideoPreprocessor` loaded once per worker from its preset
    folder `preprocessor_dir` (registered classes only, safe mode: no code
    is unpickled), write the records. A last step writes
    `failures.jsonl` (one JSON object per unusable video, with `path` and
    `reason`) and `cache_info.json`, once. A rerun skips the shards that
    are complete and intact and rewrites the others.

    Args:
        videos: a list of `VideoEntry` from any reader.
        preprocessor_dir: the preset folder of the `VideoPreprocessor` (or
            any keras_grurcn preprocessor) that computes the percepts,
            readable by every worker: `grurcn extract` saves it in the cache
            folder (`save_extraction`), on object storage too.
        output_dir: cache folder, local or a `tf.io.gfile` URL (`gs://`).
        runner: a key of `BEAM_RUNNERS`.
        pipeline_options: `"KEY=VALUE"` Beam options, see
            `beam_pipeline_options`.
        num_frames, image_size, sampling: clip decoding (`video_dataset`).
        modality, flow_method, flow_bound: RGB frames or optical-flow
            images, as in `write_percept_cache` (the flow is computed on
            the workers, while decoding).
        batch_size: clips per extractor call on a worker.
        examples_per_shard: clips per shard (and per unit of work).
        percept_dtype, calibration_clips, verify, command: as in
            `write_percept_cache` (uint8 scales are calibrated here, before
            the pipeline starts).

    Returns:
        The cache info dict of `cache_info.json`.

    Examples:

    ```python
    entries = keras_grurcn.data.write_motion_videos("/tmp/motion", 8)
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", ["pool1"], backbone_weights=None, num_frames=4, image_size=32
    )
    keras_grurcn.data.save_extraction("/tmp/beam_cache", preprocessor)
    keras_grurcn.data.write_percept_cache_beam(
        entries, "/tmp/beam_cache/preprocessor", "/tmp/beam_cache",
        num_frames=4, image_size=32, examples_per_shard=4,
    )
    ```
    """
    beam = _import_beam()
    from keras_grurcn.data import percept_cache_beam_transforms as transforms

    options = beam_pipeline_options(runner, pipeline_options)
    verify = resolve_verify(verify, output_dir)
    output_dir = str(output_dir)
    inputs = cache_inputs(modality, flow_method, flow_bound)
    video_options = dict(
        num_frames=num_frames,
        image_size=image_size,
        sampling=sampling,
        on_error="skip",
        **inputs["video_options"],
    )
    source = VideoSource(videos, batch_size, video_options, None)
    plan = prepare_plan(
        output_dir,
        examples_per_shard=examples_per_shard,
        num_inputs=source.total,
        dtype=percept_dtype,
        fingerprint=source.fingerprint,
        command=command,
        calibrate=lambda: source.calibrate(
            transforms.load_extractor(preprocessor_dir), calibration_clips
        ),
        modality=modality,
        flow=inputs["flow"],
    )
    count = num_shards(source.total, examples_per_shard)
    pending = pending_shards(output_dir, plan, count, verify)
    if not pending:
        return finalize_cache(output_dir, plan, count, verify)
    # The input list goes to the cache folder, not into the pipeline's
    # graph (300k Kinetics entries would exceed a runner's job size limit);
    # each element names the byte range of its shard's lines.
    lines = [
        (transforms.input_row(index, entry) + "\n").encode()
        for index, entry in enumerate(source.entries)
    ]
    inputs_file = cache_path(output_dir, INPUTS)
    write_bytes(inputs_file, b"".join(lines))
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    per_shard = examples_per_shard
    shards = [
        (
            shard,
            starts[shard * per_shard],
            starts[min((shard + 1) * per_shard, len(lines))]
            - starts[shard * per_shard],
        )
        for shard in pending
    ]
    write_fn = transforms.WriteShardFn(
        output_dir, inputs_file, str(preprocessor_dir), plan, batch_size, video_options
    )
    pipeline = beam.Pipeline(options=options)
    transforms.build_pipeline(
        pipeline,
        shards,
        write_fn,
        cache_dir=output_dir,
        plan=plan,
        count=count,
        verify=verify,
    )
    result = pipeline.run()
    result.wait_until_finish()
    totals = transforms.counter_totals(result)
    logger.info(
        "Beam wrote %d shards: %d clips, %d videos failed (failures.jsonl); "
        "the extractor was loaded %d times.",
        len(shards),
        totals.get("clips_written", 0),
        totals.get("videos_failed", 0),
        totals.get("extractor_loads", 0),
    )
    return read_cache_info(output_dir)
