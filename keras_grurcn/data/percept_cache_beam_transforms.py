"""The Beam side of `write_percept_cache_beam`: its DoFns and pipeline.

Imports Apache Beam at the top, so only `write_percept_cache_beam` imports
this module (after checking that the `[beam]` extra is installed). Workers
unpickle the DoFns by reference to this module.
"""

import json

import apache_beam as beam
import tensorflow as tf

from keras_grurcn.data.percept_cache_extraction import write_video_shard
from keras_grurcn.data.percept_cache_plan import finalize_cache
from keras_grurcn.data.video_entry import VideoEntry

NAMESPACE = "keras_grurcn"


def load_extractor(preprocessor_dir):
    """The cache's `VideoPreprocessor`, loaded from its preset folder as data.

    Only registered keras_grurcn classes are built, in safe mode, so a
    cache folder cannot run code on the workers (see docs/security.md); a
    folder on object storage is copied to a local one first.
    """
    from keras_grurcn.data.cache_extraction import load_preprocessor_preset

    return load_preprocessor_preset(preprocessor_dir)


def input_row(index, entry):
    """One line of `inputs.jsonl`: a video and its position in the input."""
    return json.dumps(
        {
            "index": index,
            "path": entry.path,
            "label": entry.label,
            "captions": list(entry.captions),
            "video_id": entry.video_id,
        }
    )


def read_inputs(inputs_file, offset, size):
    """The `(index, VideoEntry)` pairs in a byte range of `inputs.jsonl`."""
    with tf.io.gfile.GFile(inputs_file, "rb") as file:
        file.seek(offset)
        lines = file.read(size).decode().splitlines()
    pairs = []
    for line in lines:
        row = json.loads(line)
        entry = VideoEntry(
            row["path"], row["label"], tuple(row["captions"]), row["video_id"]
        )
        pairs.append((int(row["index"]), entry))
    return pairs


class WriteShardFn(beam.DoFn):
    """Decodes, extracts and writes one shard per element.

    An element is `(shard, offset, size)`: the shard's lines of
    `inputs.jsonl` are `size` bytes from `offset`, so a worker reads only
    its own videos' entries.

    The extractor is loaded once per DoFn instance (`setup`), i.e. once
    per worker process and stage, and called on batches of `batch_size`
    clips. Videos that cannot be decoded become the shard's failures
    (dead letters gathered into `failures.jsonl` at the end).
    """

    def __init__(
        self, cache_dir, inputs_file, preprocessor_dir, plan, batch_size, video_options
    ):
        self.cache_dir, self.inputs_file, self.preprocessor_dir, self.plan = (
            cache_dir,
            inputs_file,
            preprocessor_dir,
            plan,
        )
        self.batch_size, self.video_options = batch_size, video_options
        self._clips = beam.metrics.Metrics.counter(NAMESPACE, "clips_written")
        self._failed = beam.metrics.Metrics.counter(NAMESPACE, "videos_failed")
        self._loads = beam.metrics.Metrics.counter(NAMESPACE, "extractor_loads")

    def setup(self):
        self._extractor = load_extractor(self.preprocessor_dir)
        self._loaded = False

    def process(self, element):
        if not self._loaded:  # Metrics are reported from process(), not setup().
            self._loads.inc()
            self._loaded = True
        shard, offset, size = element
        summary = write_video_shard(
            self.cache_dir,
            self.plan,
            shard,
            read_inputs(self.inputs_file, offset, size),
            self._extractor,
            batch_size=self.batch_size,
            video_options=self.video_options,
        )
        self._clips.inc(summary["num_examples"])
        self._failed.inc(len(summary["failures"]))
        yield {key: summary[key] for key in ("shard", "num_examples", "num_bytes")}


def counter_totals(result):
    """`{counter name: value}` of this package's Beam counters in a run."""
    from apache_beam.metrics.metric import MetricsFilter

    query = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))
    totals = {}
    for counter in query["counters"]:
        # Committed where the runner reports it, else attempted.
        value = (
            counter.committed if counter.committed is not None else counter.attempted
        )
        name = counter.key.metric.name
        totals[name] = totals.get(name, 0) + value
    return totals


def build_pipeline(pipeline, shards, write_fn, *, cache_dir, plan, count, verify):
    """Shard slices -> written shards -> `cache_info.json`, once, at the end."""
    return (
        pipeline
        | "Shards to write" >> beam.Create(shards)
        | "Spread over workers" >> beam.Reshuffle()
        | "Decode, extract, write" >> beam.ParDo(write_fn)
        | "After every shard" >> beam.combiners.ToList()
        | "Write cache_info.json"
        >> beam.Map(
            lambda _: json.dumps(finalize_cache(cache_dir, plan, count, verify))
        )
    )
