"""Precompute frozen-CNN percepts once and store them as sharded TFRecords.

The paper trains GRU-RCNs on percepts of a frozen CNN; computing them once
turns every later epoch into reading files. The writer does not know any
model: `extractor` is any callable mapping float32 frames `[B, T, H, W, 3]`
in 0..255 to `{level_name: [B, T, h, w, c]}`.

On disk (`output_dir`): `percepts-00000.tfrecord`, ... (one
`tf.train.Example` per clip: `percept/<level>` float16 bytes, `label`,
`captions`, `video_id`, `index`), `progress.json` (finished shards, so an
interrupted run resumes) and, once complete, `cache_info.json` (levels and
shapes, counts, shard list) that `percept_dataset` reads.
"""

import json
import os

import numpy as np
import tensorflow as tf

from keras_grurcn.data.percept_cache_format import (
    CACHE_INFO,
    PROGRESS,
    encode_example,
    shard_name,
)
from keras_grurcn.data.video_dataset import video_dataset
from keras_grurcn.data.video_entry import VideoEntry


def _write_json(path, content):
    partial = path + ".partial"
    with open(partial, "w") as file:
        json.dump(content, file, indent=1)
    os.replace(partial, path)


def _call_extractor(extractor, frames):
    import keras

    frames = np.asarray(frames, np.float32)
    if isinstance(extractor, keras.layers.Layer):
        outputs = extractor(frames, training=False)
    else:
        outputs = extractor(frames)
    if not isinstance(outputs, dict) or not outputs:
        raise TypeError(
            "write_percept_cache: `extractor` must return a dict "
            f"{{level_name: [B, T, h, w, c]}}, got {type(outputs).__name__}."
        )
    arrays = {}
    for name, value in outputs.items():
        value = np.asarray(keras.ops.convert_to_numpy(value))
        if value.shape[:2] != frames.shape[:2]:
            raise ValueError(
                f"write_percept_cache: level {name!r} has shape {value.shape}; "
                f"expected [B, T, ...] with B, T = {frames.shape[:2]}."
            )
        arrays[str(name)] = value.astype(np.float16)
    return arrays


def _source(videos_or_dataset, start, batch_size, video_options):
    """(total, metadata of example i, batches of (indices, frames)) from any input."""
    if isinstance(videos_or_dataset, tf.data.Dataset):
        cardinality = int(videos_or_dataset.cardinality())
        total = cardinality if cardinality >= 0 else None
        spec = videos_or_dataset.element_spec
        as_dict = isinstance(spec, dict)

        def split(index, element):
            element = element if as_dict else dict(zip(("frames", "label"), element))
            return index, element

        dataset = videos_or_dataset.enumerate().skip(start).map(split)
        dataset = dataset.batch(batch_size).prefetch(2)

        def batches():
            for indices, element in dataset.as_numpy_iterator():
                labels = element.get("label", np.full(len(indices), -1))
                captions = element.get("captions", [[]] * len(indices))
                ids = element.get("video_id", [str(i).encode() for i in indices])
                meta = [
                    {
                        "label": int(labels[row]),
                        "captions": [c.decode() for c in captions[row]],
                        "video_id": ids[row].decode(),
                    }
                    for row in range(len(indices))
                ]
                yield indices, element["frames"], meta

        return total, batches()
    if isinstance(videos_or_dataset, tuple):
        frames, labels = videos_or_dataset[:2]
        frames, labels = np.asarray(frames), np.asarray(labels)
        captions = videos_or_dataset[2] if len(videos_or_dataset) > 2 else None
        if frames.ndim != 5 or len(labels) != len(frames):
            raise ValueError(
                "write_percept_cache: expected (frames [N, T, H, W, 3], labels [N]"
                f"[, captions]), got shapes {frames.shape} and {labels.shape}."
            )

        def batches():
            for low in range(start, len(frames), batch_size):
                indices = np.arange(low, min(low + batch_size, len(frames)))
                meta = [
                    {
                        "label": int(labels[i]),
                        "captions": list(captions[i]) if captions is not None else [],
                        "video_id": str(i),
                    }
                    for i in indices
                ]
                yield indices, frames[indices], meta

        return len(frames), batches()
    entries = [
        e if isinstance(e, VideoEntry) else VideoEntry(e) for e in videos_or_dataset
    ]
    if not entries:
        raise ValueError("write_percept_cache: no videos given.")
    remaining = entries[start:]

    def batches():
        if not remaining:
            return
        dataset = video_dataset(
            remaining, batch_size=batch_size, target="index", **video_options
        )
        for frames, indices in dataset.as_numpy_iterator():
            indices = indices + start
            meta = [
                {
                    "label": entries[i].label,
                    "captions": list(entries[i].captions),
                    "video_id": entries[i].video_id,
                }
                for i in indices
            ]
            yield indices, frames, meta

    return len(entries), batches()


def write_percept_cache(
    videos_or_dataset,
    extractor,
    output_dir,
    *,
    num_frames=10,
    image_size=224,
    sampling="uniform",
    batch_size=8,
    examples_per_shard=256,
    on_error="skip",
    error_report=None,
    progress=True,
):
    """Run a frozen percept extractor over videos and cache its outputs.

    Resumable: examples are assigned to shards by their position in the
    input (shard `k` holds inputs `k * examples_per_shard` onwards), each
    shard is written under a `.partial` name and renamed when complete, and
    `progress.json` lists the finished shards. A rerun after an interruption
    keeps the finished shards, redoes the partial one and continues.

    Args:
        videos_or_dataset: a list of `VideoEntry` (decoded by `video_dataset`
            with `num_frames`, `image_size`, `sampling`, evaluation crops,
            bad files skipped), a tuple `(frames [N, T, H, W, 3], labels
            [N][, captions])` of arrays, or an unbatched `tf.data.Dataset` of
            `(frames, label)` or of dicts with `"frames"` and optional
            `"label"`, `"captions"`, `"video_id"`. Inputs must come in the
            same order on every run for resuming to be correct.
        extractor: a callable or Keras model mapping float32 `[B, T, H, W, 3]`
            (0..255) to `{level_name: [B, T, h, w, c]}`.
        output_dir: cache folder (created if missing).
        num_frames, image_size, sampling: clip decoding for `VideoEntry`
            inputs (see `video_dataset`).
        batch_size: clips per extractor call.
        examples_per_shard: clips per TFRecord shard.
        on_error, error_report: bad-file handling for `VideoEntry` inputs.
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

    if examples_per_shard < 1 or batch_size < 1:
        raise ValueError("examples_per_shard and batch_size must be >= 1.")
    output_dir = str(output_dir)
    os.makedirs(output_dir, exist_ok=True)
    progress_path = os.path.join(output_dir, PROGRESS)
    state = {"examples_per_shard": examples_per_shard, "shards": [], "levels": None}
    if os.path.isfile(progress_path):
        with open(progress_path) as file:
            state = json.load(file)
        if state["examples_per_shard"] != examples_per_shard:
            raise ValueError(
                f"{output_dir!r} holds a cache written with examples_per_shard="
                f"{state['examples_per_shard']}; pass the same value to resume or "
                "use an empty folder."
            )
    start = len(state["shards"]) * examples_per_shard
    video_options = dict(
        num_frames=num_frames,
        image_size=image_size,
        sampling=sampling,
        on_error=on_error,
        error_report=error_report,
    )
    total, batches = _source(videos_or_dataset, start, batch_size, video_options)
    bar = tqdm(
        total=None if total is None else max(total - start, 0),
        desc="percepts",
        disable=not progress,
    )
    writer, writer_shard, written, captions_written = None, None, 0, 0

    def finish_shard():
        nonlocal writer, captions_written
        writer.close()
        name = shard_name(writer_shard)
        os.replace(
            os.path.join(output_dir, name + ".partial"), os.path.join(output_dir, name)
        )
        state["shards"].append(
            {"file": name, "num_examples": written, "num_captions": captions_written}
        )
        _write_json(progress_path, state)
        writer = None

    for indices, frames, meta in batches:
        percepts = _call_extractor(extractor, frames)
        levels = {name: list(value.shape[1:]) for name, value in percepts.items()}
        if state["levels"] is None:
            state["levels"] = levels
        elif state["levels"] != levels:
            raise ValueError(
                f"write_percept_cache: the extractor's levels {levels} differ from "
                f"the cache's {state['levels']}."
            )
        for row, index in enumerate(indices):
            shard = int(index) // examples_per_shard
            if writer is not None and shard != writer_shard:
                finish_shard()
            if writer is None:
                while len(state["shards"]) < shard:  # Shards emptied by skips.
                    writer_shard, written, captions_written = len(state["shards"]), 0, 0
                    writer = tf.io.TFRecordWriter(
                        os.path.join(output_dir, shard_name(writer_shard) + ".partial")
                    )
                    finish_shard()
                writer_shard, written, captions_written = shard, 0, 0
                writer = tf.io.TFRecordWriter(
                    os.path.join(output_dir, shard_name(shard) + ".partial")
                )
            example = encode_example(
                {name: value[row] for name, value in percepts.items()},
                index=int(index),
                **meta[row],
            )
            writer.write(example)
            written += 1
            captions_written += len(meta[row]["captions"])
        bar.update(len(indices))
    if writer is not None:
        finish_shard()
    bar.close()
    if state["levels"] is None:
        raise ValueError(
            f"write_percept_cache: no clip could be cached in {output_dir!r}."
        )
    info = {
        "levels": state["levels"],
        "dtype": "float16",
        "num_examples": sum(s["num_examples"] for s in state["shards"]),
        "num_captions": sum(s["num_captions"] for s in state["shards"]),
        "shards": state["shards"],
        "examples_per_shard": examples_per_shard,
    }
    _write_json(os.path.join(output_dir, CACHE_INFO), info)
    return info
