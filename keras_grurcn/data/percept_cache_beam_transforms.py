"""The Beam side of `write_percept_cache_beam`: its DoFns and pipeline.

Imports Apache Beam at the top, so only `write_percept_cache_beam` imports
this module (after checking that the `[beam]` extra is installed). Workers
unpickle the DoFns by reference to this module.
"""

import json
import os
import tempfile

import apache_beam as beam
import tensorflow as tf

from keras_grurcn.data.percept_cache_extraction import write_video_shard
from keras_grurcn.data.percept_cache_plan import finalize_cache
from keras_grurcn.data.video_entry import VideoEntry

NAMESPACE = "keras_grurcn"


def load_extractor(extractor_file):
    """The saved Keras extractor, loaded in safe mode (no pickled code).

    A remote file (`gs://...`) is copied to a local temporary file first.
    """
    import keras

    import keras_grurcn  # noqa: F401 - registers the package's layers.

    if "://" in str(extractor_file):
        local = os.path.join(tempfile.mkdtemp(), os.path.basename(extractor_file))
        tf.io.gfile.copy(extractor_file, local, overwrite=True)
        extractor_file = local
    return keras.saving.load_model(extractor_file, safe_mode=True, compile=False)


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


def _parse_input(line):
    row = json.loads(line)
    entry = VideoEntry(
        row["path"], row["label"], tuple(row["captions"]), row["video_id"]
    )
    return int(row["index"]), entry


class WriteShardFn(beam.DoFn):
    """Decodes, extracts and writes one shard per element `(shard, inputs)`.

    The extractor is loaded once per DoFn instance (`setup`), i.e. once
    per worker process and stage, and called on batches of `batch_size`
    clips. Videos that cannot be decoded become the shard's failures
    (dead letters gathered into `failures.jsonl` at the end).
    """

    def __init__(self, cache_dir, extractor_file, plan, batch_size, video_options):
        self.cache_dir, self.extractor_file, self.plan = (
            cache_dir,
            extractor_file,
            plan,
        )
        self.batch_size, self.video_options = batch_size, video_options
        self._clips = beam.metrics.Metrics.counter(NAMESPACE, "clips_written")
        self._failed = beam.metrics.Metrics.counter(NAMESPACE, "videos_failed")
        self._loads = beam.metrics.Metrics.counter(NAMESPACE, "extractor_loads")

    def setup(self):
        self._extractor = load_extractor(self.extractor_file)
        self._loaded = False

    def process(self, element):
        if not self._loaded:  # Metrics are reported from process(), not setup().
            self._loads.inc()
            self._loaded = True
        shard, inputs = element
        summary = write_video_shard(
            self.cache_dir,
            self.plan,
            shard,
            sorted(inputs, key=lambda pair: pair[0]),
            self._extractor,
            batch_size=self.batch_size,
            video_options=self.video_options,
        )
        self._clips.inc(summary["num_examples"])
        self._failed.inc(len(summary["failures"]))
        yield {key: summary[key] for key in ("shard", "num_examples", "num_bytes")}


def build_pipeline(
    pipeline, inputs_file, pending, write_fn, *, cache_dir, plan, count, verify
):
    """inputs.jsonl -> shards of pending inputs -> written shards -> cache_info.json."""
    per_shard = plan["examples_per_shard"]
    pending = frozenset(pending)
    shards = (
        pipeline
        | "Read inputs.jsonl" >> beam.io.ReadFromText(inputs_file)
        | "Parse" >> beam.Map(_parse_input)
        | "Keep pending shards"
        >> beam.Filter(lambda row: row[0] // per_shard in pending)
        | "Key by shard" >> beam.Map(lambda row: (row[0] // per_shard, row))
        | "Group into shards" >> beam.GroupByKey()
    )
    written = shards | "Decode, extract, write" >> beam.ParDo(write_fn)
    return (
        written
        | "After every shard" >> beam.combiners.ToList()
        | "Write cache_info.json"
        >> beam.Map(
            lambda _: json.dumps(finalize_cache(cache_dir, plan, count, verify))
        )
    )
