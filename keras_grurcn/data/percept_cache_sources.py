"""The in-process writer's three kinds of input, cut into shards.

Each source knows its size (when it can), a fingerprint of its order (video
lists), how to calibrate uint8 scales on its first clips, and yields the
batches of the shards still to write as `(shard, batches, inputs,
failure_reasons)`, the arguments of `write_shard`.
"""

import itertools

import numpy as np

from keras_grurcn.data.percept_cache_extraction import call_extractor
from keras_grurcn.data.percept_cache_extraction import video_shard_batches
from keras_grurcn.data.percept_cache_plan import fingerprint_entries
from keras_grurcn.data.percept_cache_plan import num_shards
from keras_grurcn.data.percept_cache_storage import calibrate_uint8
from keras_grurcn.data.video_dataset import video_dataset
from keras_grurcn.data.video_entry import VideoEntry


def calibrate(percept_batches):
    """`(levels, quantization)` of uint8 storage from some percept batches."""
    percept_batches = list(percept_batches)
    if not percept_batches:
        raise ValueError("uint8 calibration: no clip of the input could be read.")
    levels = {name: list(v.shape[1:]) for name, v in percept_batches[0].items()}
    return levels, calibrate_uint8(percept_batches)


def calibrate_on_videos(entries, extractor, clips, batch_size, video_options):
    """Calibrate on the percepts of the first `clips` decodable videos."""
    dataset = video_dataset(
        entries, batch_size=batch_size, **{**video_options, "on_error": "skip"}
    )
    dataset = dataset.unbatch().take(clips).batch(batch_size)
    return calibrate(call_extractor(extractor, frames) for frames, _ in dataset)


class VideoSource:
    """A list of `VideoEntry`, decoded shard by shard by `video_dataset`."""

    def __init__(self, entries, batch_size, video_options, error_report):
        self.entries = [
            e if isinstance(e, VideoEntry) else VideoEntry(e) for e in entries
        ]
        if not self.entries:
            raise ValueError("write_percept_cache: no videos given.")
        self.total = len(self.entries)
        self.fingerprint = fingerprint_entries(self.entries)
        self.batch_size, self.video_options = batch_size, video_options
        self.error_report = error_report

    def calibrate(self, extractor, clips):
        return calibrate_on_videos(
            self.entries, extractor, clips, self.batch_size, self.video_options
        )

    def shards(self, per_shard, is_pending):
        for shard in range(num_shards(self.total, per_shard)):
            if is_pending(shard):
                low = shard * per_shard
                inputs = list(enumerate(self.entries[low : low + per_shard], start=low))
                batches, reasons = video_shard_batches(
                    inputs,
                    batch_size=self.batch_size,
                    video_options=self.video_options,
                    error_report=self.error_report,
                )
                yield shard, batches, inputs, reasons


class ArraySource:
    """`(frames [N, T, H, W, 3], labels [N][, captions])` arrays."""

    fingerprint = None

    def __init__(self, arrays, batch_size):
        self.frames, self.labels = (np.asarray(a) for a in arrays[:2])
        self.captions = arrays[2] if len(arrays) > 2 else None
        if self.frames.ndim != 5 or len(self.labels) != len(self.frames):
            raise ValueError(
                "write_percept_cache: expected (frames [N, T, H, W, 3], labels [N]"
                f"[, captions]), got shapes {self.frames.shape} and "
                f"{self.labels.shape}."
            )
        self.total, self.batch_size = len(self.frames), batch_size

    def _batches(self, low, high):
        for start in range(low, high, self.batch_size):
            indices = np.arange(start, min(start + self.batch_size, high))
            metadata = [
                {
                    "label": int(self.labels[i]),
                    "captions": list(self.captions[i])
                    if self.captions is not None
                    else [],
                    "video_id": str(i),
                }
                for i in indices
            ]
            yield indices, self.frames[indices], metadata

    def calibrate(self, extractor, clips):
        return calibrate(
            call_extractor(extractor, frames)
            for _, frames, _ in self._batches(0, min(clips, self.total))
        )

    def shards(self, per_shard, is_pending):
        for shard in range(num_shards(self.total, per_shard)):
            if is_pending(shard):
                high = min((shard + 1) * per_shard, self.total)
                yield shard, self._batches(shard * per_shard, high), (), None


class DatasetSource:
    """An unbatched `tf.data.Dataset`, read once (its size may be unknown)."""

    fingerprint = None

    def __init__(self, dataset, batch_size):
        cardinality = int(dataset.cardinality())
        self.dataset, self.batch_size = dataset, batch_size
        self.total = cardinality if cardinality >= 0 else None

    def _batches(self, dataset, start=0):
        as_dict = isinstance(dataset.element_spec, dict)

        def split(index, element):
            element = element if as_dict else dict(zip(("frames", "label"), element))
            return index, element

        dataset = dataset.enumerate().skip(start).map(split)
        for indices, element in dataset.batch(self.batch_size).prefetch(2):
            indices, element = (
                indices.numpy(),
                {k: v.numpy() for k, v in element.items()},
            )
            labels = element.get("label", np.full(len(indices), -1))
            captions = element.get("captions", [[]] * len(indices))
            ids = element.get("video_id", [str(i).encode() for i in indices])
            metadata = [
                {
                    "label": int(labels[row]),
                    "captions": [c.decode() for c in captions[row]],
                    "video_id": ids[row].decode(),
                }
                for row in range(len(indices))
            ]
            yield indices, element["frames"], metadata

    def calibrate(self, extractor, clips):
        return calibrate(
            call_extractor(extractor, frames)
            for _, frames, _ in self._batches(self.dataset.take(clips))
        )

    def shards(self, per_shard, is_pending):
        """Streams every record once; the shards already done are read past."""
        start = 0  # Leading shards already done are skipped without reading.
        while (self.total is None or start * per_shard < self.total) and not is_pending(
            start
        ):
            start += 1
        self.total_shards = start

        def pieces():
            for indices, frames, metadata in self._batches(
                self.dataset, start * per_shard
            ):
                shards = np.asarray(indices) // per_shard
                for shard in dict.fromkeys(shards.tolist()):
                    rows = np.flatnonzero(shards == shard)
                    yield (
                        shard,
                        (indices[rows], frames[rows], [metadata[r] for r in rows]),
                    )

        for shard, group in itertools.groupby(pieces(), key=lambda piece: piece[0]):
            self.total_shards = shard + 1
            if is_pending(shard):
                yield shard, (batch for _, batch in group), (), None
