"""`evaluate_captioner`: caption every video and score against references."""

import json
import os

import numpy as np

from keras_grurcn.metrics.caption_scores import caption_scores

NUM_EXAMPLES = 5
BATCH_SIZE = 16


def _as_id(video_id):
    if isinstance(video_id, bytes):
        return video_id.decode("utf-8")
    if isinstance(video_id, np.ndarray) and video_id.ndim == 0:
        return _as_id(video_id.item())
    return str(video_id)


def _caption_lists(captions):
    """Per-video reference lists from ragged/2-D string tensors or lists."""
    if hasattr(captions, "to_list"):  # tf.RaggedTensor
        captions = captions.to_list()
    elif hasattr(captions, "numpy"):
        captions = captions.numpy().tolist()
    return [[_as_id(caption) for caption in video if caption] for video in captions]


def _batches(videos, with_references):
    """Yields `(video_inputs, keys)`: keys are ids, or reference lists."""
    if isinstance(videos, dict):
        if not with_references:
            raise ValueError(
                "evaluate_captioner: `videos` as {video_id: clip} needs "
                "`references` {video_id: [caption, ...]}."
            )
        ids = list(videos)
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
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
                "..., target='video_id', batch_size=...)), or (video_inputs, "
                "captions) batches when `references` is None (e.g. "
                "percept_dataset(..., target='captions')); got an element of "
                f"type {type(element).__name__}."
            )
        video_inputs, keys = element[0], element[1]
        if with_references:
            keys = [_as_id(key) for key in np.asarray(keys).reshape(-1)]
        else:
            keys = _caption_lists(keys)
        yield video_inputs, keys


def evaluate_captioner(
    model,
    videos,
    references=None,
    beam_width=5,
    output_dir=None,
    max_length=30,
    length_penalty=0.0,
    meteor="auto",
    tokenizer="auto",
):
    """Captions every video and scores the captions with coco-caption metrics.

    Args:
        model: a `keras_grurcn.VideoCaptioner`.
        videos: a dict `{video_id: clip}` (a clip is frames `[T, H, W, 3]`
            or a dict of per-level percepts), or an iterable of
            `(video_inputs, video_ids)` batches such as
            `video_dataset(entries, ..., target="video_id", batch_size=8)`;
            with `references=None`, an iterable of `(video_inputs,
            captions)` batches whose captions (ragged strings `[B, None]`)
            are each video's references, such as
            `percept_dataset(cache, 8, levels=..., target="captions")`
            (videos are then numbered "0", "1", ... in order).
        references: `{video_id: [str, ...]}`, the ground-truth captions, or
            `None` when `videos` carries them.
        beam_width: beams per video (1: greedy).
        output_dir: when given, `scores.json` and `captions.jsonl` (one
            line per video: `id`, `caption`, `references`) are written
            there.
        max_length, length_penalty: see `VideoCaptioner.generate`.
        meteor, tokenizer: see `keras_grurcn.metrics.caption_scores`.

    Returns:
        A dict: `"scores"` (the metrics of `caption_scores`: `"BLEU-4"`,
        `"CIDEr"`, ...), `"num_videos"` (videos scored), `"num_missing"`
        (references with no decoded video, e.g. files skipped as
        undecodable) and `"examples"` (the first few `{"id", "caption",
        "references"}`). `scores.json` holds the scores and both counts.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary, evaluate_captioner

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = keras_grurcn.build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    videos = {"vid1": np.zeros((4, 32, 32, 3)), "vid2": np.ones((4, 32, 32, 3))}
    references = {"vid1": ["a red square moves left"], "vid2": ["a red box"]}
    report = evaluate_captioner(
        model, videos, references, beam_width=2, meteor=False,
        output_dir="/tmp/evaluation",
    )
    report["scores"]["BLEU-4"]
    ```
    """
    with_references = references is not None
    if with_references:
        if not isinstance(references, dict) or not references:
            raise ValueError(
                "evaluate_captioner: `references` must be a non-empty dict "
                "{video_id: [caption, ...]} (or None when `videos` yields "
                "(video_inputs, captions) batches)."
            )
        references = {_as_id(key): list(value) for key, value in references.items()}
    else:
        references = {}
    hypotheses = {}
    for video_inputs, keys in _batches(videos, with_references):
        if with_references:
            video_ids = keys
        else:
            video_ids = [str(len(references) + i) for i in range(len(keys))]
            references.update(zip(video_ids, keys))
        unknown = [video_id for video_id in video_ids if video_id not in references]
        if unknown:
            raise ValueError(
                f"evaluate_captioner: videos {unknown[:5]} have no references."
            )
        result = model.generate(
            video_inputs,
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
    counts = {
        "num_videos": len(hypotheses),
        "num_missing": len(references) - len(hypotheses),
    }
    if output_dir is not None:
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "scores.json"), "w") as file:
            json.dump({**scores, **counts}, file, indent=2)
        with open(os.path.join(output_dir, "captions.jsonl"), "w") as file:
            for row in rows:
                file.write(json.dumps(row) + "\n")
    return {"scores": scores, **counts, "examples": rows[:NUM_EXAMPLES]}
