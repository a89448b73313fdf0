"""`evaluate_captioner`: caption every video and score against references."""

import json
import os

import numpy as np

from keras_grurcn.captioning.caption_videos import caption_videos
from keras_grurcn.metrics.caption_scores import caption_scores

NUM_EXAMPLES = 5


def _as_id(video_id):
    if isinstance(video_id, bytes):
        return video_id.decode("utf-8")
    if isinstance(video_id, np.ndarray) and video_id.ndim == 0:
        return _as_id(video_id.item())
    return str(video_id)


def _batches(videos):
    """Yields `(video_inputs, [video_id, ...])` from any accepted `videos`."""
    if isinstance(videos, dict):
        ids = list(videos)
        for start in range(0, len(ids), 16):
            chunk = ids[start : start + 16]
            clips = [videos[video_id] for video_id in chunk]
            if isinstance(clips[0], dict):
                stacked = {k: np.stack([c[k] for c in clips]) for k in clips[0]}
            else:
                stacked = np.stack([np.asarray(clip) for clip in clips])
            yield stacked, [_as_id(video_id) for video_id in chunk]
        return
    for element in videos:
        if not isinstance(element, (tuple, list)) or len(element) < 2:
            raise ValueError(
                "evaluate_captioner: `videos` must be a dict {video_id: clip} or "
                "yield (video_inputs, video_ids) batches (e.g. video_dataset("
                "..., target='video_id', batch_size=...)); got an element of "
                f"type {type(element).__name__}."
            )
        video_inputs, video_ids = element[0], element[1]
        video_ids = np.asarray(video_ids)
        yield video_inputs, [_as_id(video_id) for video_id in video_ids.reshape(-1)]


def evaluate_captioner(
    model,
    videos,
    references,
    vocabulary=None,
    beam_width=5,
    output_dir=None,
    max_length=30,
    length_penalty=0.0,
    meteor="auto",
    tokenizer="auto",
):
    """Captions every video and scores the captions with coco-caption metrics.

    Args:
        model: a captioner from `build_grurcn_captioner`.
        videos: a dict `{video_id: clip}` (a clip is frames `[T, H, W, 3]`
            or a dict of per-level percepts), or an iterable of
            `(video_inputs, video_ids)` batches such as
            `video_dataset(entries, ..., target="video_id", batch_size=8)`.
        references: `{video_id: [str, ...]}`, the ground-truth captions.
        vocabulary: see `caption_videos` (defaults to the model's).
        beam_width: beams per video (1: greedy).
        output_dir: when given, `scores.json` and `captions.jsonl` (one
            line per video: `id`, `caption`, `references`) are written
            there.
        max_length, length_penalty: see `caption_videos`.
        meteor, tokenizer: see `keras_grurcn.metrics.caption_scores`.

    Returns:
        A dict: the metrics of `caption_scores` (`"BLEU-4"`, `"CIDEr"`, ...)
        plus `"num_videos"` (videos scored), `"num_missing"` (references
        with no decoded video, e.g. files skipped as undecodable) and
        `"examples"` (the first few `{"id", "caption", "references"}`).
    """
    if not isinstance(references, dict) or not references:
        raise ValueError(
            "evaluate_captioner: `references` must be a non-empty dict "
            "{video_id: [caption, ...]}."
        )
    references = {_as_id(key): list(value) for key, value in references.items()}
    hypotheses = {}
    for video_inputs, video_ids in _batches(videos):
        unknown = [video_id for video_id in video_ids if video_id not in references]
        if unknown:
            raise ValueError(
                f"evaluate_captioner: videos {unknown[:5]} have no references."
            )
        result = caption_videos(
            model,
            video_inputs,
            vocabulary=vocabulary,
            beam_width=beam_width,
            max_length=max_length,
            length_penalty=length_penalty,
        )
        hypotheses.update(zip(video_ids, result["captions"]))
    if not hypotheses:
        raise ValueError("evaluate_captioner: `videos` gave no video to caption.")
    scored = {video_id: references[video_id] for video_id in hypotheses}
    scores = caption_scores(scored, hypotheses, meteor=meteor, tokenizer=tokenizer)
    rows = [
        {"id": video_id, "caption": caption, "references": scored[video_id]}
        for video_id, caption in hypotheses.items()
    ]
    summary = dict(scores)
    summary["num_videos"] = len(hypotheses)
    summary["num_missing"] = len(references) - len(hypotheses)
    if output_dir is not None:
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "scores.json"), "w") as file:
            json.dump(summary, file, indent=2)
        with open(os.path.join(output_dir, "captions.jsonl"), "w") as file:
            for row in rows:
                file.write(json.dumps(row) + "\n")
    summary["examples"] = rows[:NUM_EXAMPLES]
    return summary
