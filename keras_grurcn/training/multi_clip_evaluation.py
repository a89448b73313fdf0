import json
import os

import numpy as np


def evenly_spaced_clips(frames, num_clips, clip_length):
    """Cuts `num_clips` evenly spaced clips of consecutive frames from a video.

    The two-stream test protocol (Simonyan & Zisserman, 2014, followed by
    the paper's UCF-101 evaluation): clip starts are spread evenly from the
    first frame to the last possible start; a video shorter than
    `clip_length` repeats its last frame.

    Args:
        frames: one video's frames `(num_frames, height, width, channels)`.
        num_clips: how many clips to cut (25 in the two-stream convention).
        clip_length: frames per clip (the model's clip length, 10 in the
            paper).

    Returns:
        An array `(num_clips, clip_length, height, width, channels)`.

    Examples:

    ```python
    video = np.zeros((40, 16, 16, 3), "uint8")
    clips = keras_grurcn.training.evenly_spaced_clips(video, 5, 8)
    clips.shape  # (5, 8, 16, 16, 3)
    ```
    """
    frames = np.asarray(frames)
    if frames.ndim != 4 or len(frames) == 0:
        raise ValueError(
            "evenly_spaced_clips: expected frames (num_frames, height, width, "
            f"channels) with at least one frame; got shape {frames.shape}."
        )
    if num_clips < 1 or clip_length < 1:
        raise ValueError(
            "evenly_spaced_clips: num_clips and clip_length must be >= 1; got "
            f"{num_clips} and {clip_length}."
        )
    last_start = max(len(frames) - clip_length, 0)
    starts = np.round(np.linspace(0, last_start, num_clips)).astype(int)
    indices = np.minimum(starts[:, None] + np.arange(clip_length), len(frames) - 1)
    return frames[indices]


def evaluate_multi_clip(
    model,
    videos,
    *,
    num_crops=1,
    class_names=None,
    batch_size=8,
    output_dir=None,
    protocol=None,
):
    """Video-level accuracy: the softmax averaged over several views per video.

    The test protocol of the paper's UCF-101 results (and of Model Garden's
    multi-view evaluation): each test video is cut into several clips (see
    `evenly_spaced_clips`, or `video_views` for clips x crops), the
    model's class probabilities are averaged over them, and the average is
    the video's prediction. The same predictions are also averaged over
    fewer views (the middle clip, each clip's centre crop), so one pass
    reports what 1 x 1, clips x 1, 1 x crops and clips x crops views score.

    Args:
        model: a Keras classifier mapping clips to class probabilities.
        videos: an iterable (or `tf.data.Dataset`) of `(views, label)`, one
            per video: `views` `(num_clips * num_crops, time, height, width,
            3)`, clip by clip with each clip's centre crop first (what
            `video_views` returns; with `num_crops=1`, the clips), `label` an
            integer class index.
        num_crops: spatial crops per clip in `views`.
        class_names: names of the classes in index order; default
            `"0"`, `"1"`, ...
        batch_size: views per forward pass.
        output_dir: if given, writes `evaluation.json` (the report without
            the per-video probabilities) and `confusion_matrix.png` there.
        protocol: more to record about how the views were made (frames,
            sampling, ...), stored in the report's `protocol`.

    Returns:
        A dict with `top1_accuracy`, `top5_accuracy` (with more than 5
        classes only: below that it is always 1), `per_class_accuracy`
        (`{class name: accuracy}`, `nan` for classes without test videos),
        `confusion_matrix` (`(classes, classes)` counts, rows are true
        classes), `num_videos`, `views` (`{"1x1": {"top1_accuracy": ...},
        "10x1": ..., "1x3": ..., "10x3": ...}` per view count: the middle
        clip or all, the centre crop or all; `"all"` names all clips when
        videos have different clip counts), `protocol` (`clips`, `crops`
        and what `protocol` adds), `labels` (`(videos,)`)
        and `probabilities` (`(videos, classes)`, the predictions averaged
        over all views).

    Examples:

    ```python
    videos = [(np.zeros((3, 2, 16, 16, 3), "uint8"), 1)]
    report = keras_grurcn.training.evaluate_multi_clip(model, videos)
    report["top1_accuracy"], list(report["views"])  # (..., ['1x1', '3x1'])
    ```
    """
    view_probabilities, labels = [], []
    for views, label in _as_numpy(videos):
        views = np.asarray(views)
        if views.ndim != 5:
            raise ValueError(
                "evaluate_multi_clip: each video must be (views, label) with "
                "views shaped (num_views, time, height, width, 3); got views "
                f"of shape {views.shape}."
            )
        if len(views) % num_crops:
            raise ValueError(
                f"evaluate_multi_clip: video {len(labels)} has {len(views)} views, "
                f"not a whole number of clips of num_crops={num_crops} crops."
            )
        predictions = np.concatenate(
            [
                np.asarray(model.predict_on_batch(views[start : start + batch_size]))
                for start in range(0, len(views), batch_size)
            ]
        ).astype("float64")
        # (clips, crops, classes); crop 0 is each clip's centre crop.
        view_probabilities.append(
            predictions.reshape(-1, num_crops, len(predictions[0]))
        )
        labels.append(int(label))
    if not labels:
        raise ValueError("evaluate_multi_clip: `videos` is empty.")
    clip_counts = {len(video) for video in view_probabilities}
    num_clips = clip_counts.pop() if len(clip_counts) == 1 else "varies"
    probabilities = np.stack([video.mean(axis=(0, 1)) for video in view_probabilities])
    labels = np.asarray(labels)
    num_classes = probabilities.shape[1]
    class_names = _class_names(class_names, num_classes)
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f"evaluate_multi_clip: labels must be in [0, {num_classes}); got "
            f"{labels.min()}..{labels.max()}."
        )

    best_first = np.argsort(-probabilities, axis=1, kind="stable")
    predictions = best_first[:, 0]
    confusion = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(confusion, (labels, predictions), 1)
    videos_per_class = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.diag(confusion) / videos_per_class
    report = {
        "num_videos": len(labels),
        **_top_k_accuracies(probabilities, labels),
        "per_class_accuracy": dict(zip(class_names, per_class.tolist())),
        "confusion_matrix": confusion,
        "views": _view_count_accuracies(view_probabilities, labels, num_clips),
        "protocol": {"clips": num_clips, "crops": num_crops, **(protocol or {})},
        "labels": labels,
        "probabilities": probabilities,
    }
    if output_dir is not None:
        from keras_grurcn.training.confusion_matrix_plot import plot_confusion_matrix

        os.makedirs(output_dir, exist_ok=True)
        summary = {
            key: value
            for key, value in report.items()
            if key not in ("labels", "probabilities")
        }
        summary["confusion_matrix"] = confusion.tolist()
        summary["class_names"] = class_names
        with open(os.path.join(output_dir, "evaluation.json"), "w") as file:
            # NaN (a class without test videos) is written as null.
            json.dump(_nan_to_none(summary), file, indent=2)
        plot_confusion_matrix(
            confusion, class_names, os.path.join(output_dir, "confusion_matrix.png")
        )
    return report


def _top_k_accuracies(probabilities, labels):
    """Top-1, and top-5 where it says something (more than 5 classes)."""
    best_first = np.argsort(-probabilities, axis=1, kind="stable")
    accuracies = {"top1_accuracy": float(np.mean(best_first[:, 0] == labels))}
    if probabilities.shape[1] > 5:
        accuracies["top5_accuracy"] = float(
            np.mean(np.any(best_first[:, :5] == labels[:, None], axis=1))
        )
    return accuracies


def _view_count_accuracies(view_probabilities, labels, num_clips):
    """`{"CLIPSxCROPS": accuracies}`: the middle or all clips, centre or all crops.

    `num_clips` names the all-clips entries ("all" when videos differ).
    """
    num_crops = view_probabilities[0].shape[1]
    counts = {}
    for all_clips in dict.fromkeys((False, num_clips != 1)):
        for all_crops in dict.fromkeys((False, num_crops != 1)):
            averaged = np.stack(
                [
                    video[
                        slice(None) if all_clips else _middle(len(video)),
                        slice(None) if all_crops else slice(0, 1),
                    ].mean(axis=(0, 1))
                    for video in view_probabilities
                ]
            )
            clips = "1" if not all_clips else str(num_clips).replace("varies", "all")
            counts[f"{clips}x{num_crops if all_crops else 1}"] = _top_k_accuracies(
                averaged, labels
            )
    return counts


def _middle(num_clips):
    middle = (num_clips - 1) // 2
    return slice(middle, middle + 1)


def _as_numpy(videos):
    if hasattr(videos, "as_numpy_iterator"):
        return videos.as_numpy_iterator()
    return iter(videos)


def _class_names(class_names, num_classes):
    if class_names is None:
        return [str(index) for index in range(num_classes)]
    class_names = [str(name) for name in class_names]
    if len(class_names) != num_classes:
        raise ValueError(
            f"evaluate_multi_clip: {len(class_names)} class_names for a model "
            f"with {num_classes} classes."
        )
    return class_names


def _nan_to_none(value):
    if isinstance(value, dict):
        return {key: _nan_to_none(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nan_to_none(item) for item in value]
    if isinstance(value, float) and value != value:
        return None
    return value
