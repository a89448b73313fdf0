"""The paper's RGB + Flow model: two streams trained apart, fused on validation."""

import inspect
import json
import os

import numpy as np

from keras_grurcn.models.two_stream import build_stream_classifier
from keras_grurcn.models.two_stream import build_two_stream
from keras_grurcn.models.two_stream_video_classifier import TwoStreamVideoClassifier
from keras_grurcn.training.late_fusion import FLOW_WEIGHT_GRID
from keras_grurcn.training.late_fusion import choose_flow_weight
from keras_grurcn.training.late_fusion import fused_probabilities
from keras_grurcn.training.percept_examples import percept_examples
from keras_grurcn.training.train_and_evaluate import train_and_evaluate

STREAMS = ("rgb", "flow")
# `build_two_stream` arguments that the caches' preprocessors define.
FROM_CACHES = (
    "preprocessor",
    "backbone",
    "backbone_weights",
    "num_frames",
    "image_size",
    "flow_backbone_weights",
    "num_flow_frames",
    "flow_method",
    "flow_bound",
)


def check_stream_caches(rgb_cache, flow_cache):
    """Raises unless the caches are an RGB and a flow cache of the same videos.

    Each cache records what its percepts were computed from (`modality`,
    and for flow the method and bound) and a fingerprint of its video list
    (paths, labels, ids, in order). The two caches of a split must hold the
    same videos; a video that failed in one stream only (e.g. too short for
    flow) is left out of the fusion by its id.

    Args:
        rgb_cache: a percept cache written with `modality="rgb"`.
        flow_cache: one written with `modality="flow"` from the same videos.

    Returns:
        `(rgb_info, flow_info)`: the caches' `cache_info.json`.

    Raises:
        ValueError: naming the cache that is not what it should be.
    """
    from keras_grurcn.data.cache_extraction import read_cache_class_names
    from keras_grurcn.data.percept_cache_format import read_cache_info

    infos = {}
    for stream, cache in zip(STREAMS, (rgb_cache, flow_cache)):
        info = read_cache_info(cache)
        modality = info.get("modality", "rgb")
        if modality != stream:
            raise ValueError(
                f"{cache} holds percepts of {modality} inputs; the {stream} stream "
                f"needs a cache extracted with `grurcn extract --modality {stream}`."
            )
        infos[stream] = info
    fingerprints = [infos[stream].get("inputs_fingerprint") for stream in STREAMS]
    if None not in fingerprints and fingerprints[0] != fingerprints[1]:
        raise ValueError(
            f"{rgb_cache} and {flow_cache} were extracted from different videos "
            "(or from the same in another order, or with other labels): extract "
            "both streams from the same --videos, --layout and --subset."
        )
    names = [read_cache_class_names(cache) for cache in (rgb_cache, flow_cache)]
    if names[0] != names[1]:
        raise ValueError(
            f"{rgb_cache} and {flow_cache} have different class names: "
            f"{names[0]} and {names[1]}."
        )
    return infos["rgb"], infos["flow"]


def probabilities_by_video(model, cache_dir, batch_size=64):
    """`{video_id: (probabilities, label)}` of a classifier over a percept cache."""
    from keras_grurcn.data.percept_dataset import percept_dataset

    levels = model.backbone_input_names
    with_ids = percept_dataset(cache_dir, batch_size, levels=levels, target="video_id")
    with_labels = percept_dataset(cache_dir, batch_size, levels=levels[:1])
    scores = {}
    for (percepts, ids), (_, labels) in zip(with_ids, with_labels):
        probabilities = np.asarray(model.predict_on_batch(percepts))
        for video_id, row, label in zip(ids.numpy(), probabilities, labels.numpy()):
            video_id = video_id.decode()
            if video_id in scores:
                raise ValueError(
                    f"{cache_dir}: video id {video_id!r} appears twice; the two "
                    "streams are joined by video id."
                )
            scores[video_id] = (row, int(label))
    return scores


def late_fusion_report(rgb_model, flow_model, rgb_cache, flow_cache, candidates):
    """Per-stream and fused accuracy on the videos both caches hold.

    The flow weight is chosen on these videos (`choose_flow_weight`), so
    the fused accuracy is that of the chosen weight on the videos it was
    chosen on.

    Args:
        rgb_model, flow_model: the streams' classifiers.
        rgb_cache, flow_cache: the streams' validation caches.
        candidates: the flow weights to try.

    Returns:
        A dict: `flow_weight`, `rgb_accuracy`, `flow_accuracy`,
        `fused_accuracy`, `num_videos` (paired), `unpaired` (`{"rgb": n,
        "flow": n}`: videos only one cache holds) and `grid` (each
        candidate's accuracy and loss).
    """
    rgb = probabilities_by_video(rgb_model, rgb_cache)
    flow = probabilities_by_video(flow_model, flow_cache)
    paired = [video_id for video_id in rgb if video_id in flow]
    if not paired:
        raise ValueError(
            f"{rgb_cache} and {flow_cache} have no video id in common: they are "
            "not the two streams of the same videos."
        )
    for video_id in paired:
        if rgb[video_id][1] != flow[video_id][1]:
            raise ValueError(
                f"Video {video_id!r} is labelled {rgb[video_id][1]} in "
                f"{rgb_cache} and {flow[video_id][1]} in {flow_cache}."
            )
    labels = np.array([rgb[video_id][1] for video_id in paired])
    rgb_scores = np.stack([rgb[video_id][0] for video_id in paired])
    flow_scores = np.stack([flow[video_id][0] for video_id in paired])
    weight, grid = choose_flow_weight(rgb_scores, flow_scores, labels, candidates)

    def accuracy(scores):
        return float(np.mean(np.argmax(scores, axis=-1) == labels))

    return {
        "flow_weight": weight,
        "rgb_accuracy": accuracy(rgb_scores),
        "flow_accuracy": accuracy(flow_scores),
        "fused_accuracy": accuracy(
            fused_probabilities(rgb_scores, flow_scores, weight)
        ),
        "num_videos": len(paired),
        "unpaired": {"rgb": len(rgb) - len(paired), "flow": len(flow) - len(paired)},
        "grid": grid,
    }


def _stream_arguments(build):
    build = dict(build)
    given = [key for key in FROM_CACHES if key in build]
    if given:
        raise ValueError(
            f"train_two_stream: {', '.join(given)} come from the percept caches' "
            "preprocessors (their CNN, frames, size and flow settings); leave "
            "them out."
        )
    accepted = set(inspect.signature(build_two_stream).parameters) - set(FROM_CACHES)
    unknown = sorted(set(build) - accepted)
    if unknown:
        raise ValueError(
            f"train_two_stream: unknown argument(s) {', '.join(unknown)}; the "
            f"two-stream model takes {', '.join(sorted(accepted))}."
        )
    flow_weight = build.pop("flow_weight", None)
    build.pop("name", None)
    return build, flow_weight


def train_two_stream(
    config,
    workdir,
    rgb_caches,
    flow_caches,
    *,
    build=None,
    flow_weights=None,
    extra_callbacks=(),
    evaluation_protocol=None,
):
    """Trains the paper's RGB + Flow GRU-RCN on an RGB and a flow percept cache.

    The paper's late fusion (Ballas et al., 2016, Sec. 4.1, after Simonyan
    and Zisserman, 2014): each stream is trained on its own, with
    `train_and_evaluate` (`WORKDIR/rgb/`, `WORKDIR/flow/`: checkpoints,
    logs, the stream's own preset and metrics), built around its cache's
    preprocessor (`build_stream_classifier`); the two are joined
    (`TwoStreamVideoClassifier.from_streams`) and the flow weight is chosen
    on the validation videos by a grid search over the fused probabilities
    (`choose_flow_weight`). Writes `WORKDIR/preset` (the two-stream task:
    RGB frames and flow images in, or both caches' percepts),
    `WORKDIR/final.keras` and `WORKDIR/metrics.json` (per-stream and fused
    accuracy on the paired validation videos, the weight, the grid, and
    each stream's validation metrics).

    Args:
        config: a `TrainingConfig`, for each stream (a single-worker
            strategy: the streams are joined in this process).
        workdir: the run's folder; reuse it to resume a killed run (each
            stream resumes where it stopped).
        rgb_caches: `(train, validation)` RGB percept caches.
        flow_caches: `(train, validation)` flow percept caches of the same
            videos (`check_stream_caches`).
        build: `build_two_stream` arguments other than those the caches
            define (`levels`, `hidden_maps`, `encoder`, `kernel_size`,
            `dropout`, `percept_normalization`, `trainable_backbone`,
            `class_names`/`num_classes`; the class names default to the
            caches'). A `flow_weight` fixes the weight instead of choosing it.
        flow_weights: the candidate weights (default 0, 0.05, ..., 1).
        extra_callbacks: more Keras callbacks for each stream's `fit`.
        evaluation_protocol: how the validation caches view each video,
            written to `metrics.json` as `"protocol"` (and each stream's).

    Returns:
        `(task, metrics)`: the `TwoStreamVideoClassifier` and the dict of
        `metrics.json`.

    Examples:

    ```python
    # An RGB and a flow cache of the same videos (`grurcn extract --modality`).
    for modality in ("rgb", "flow"):
        preprocessor = keras_grurcn.VideoPreprocessor(
            "vgg16", ["pool1"], backbone_weights=None, num_frames=4,
            image_size=32, modality=modality,
        )
        keras_grurcn.data.write_percept_cache(
            entries, preprocessor, f"/tmp/{modality}", num_frames=4,
            image_size=32, modality=modality, progress=False,
        )
        keras_grurcn.data.save_extraction(
            f"/tmp/{modality}", preprocessor, ["left", "right", "up", "down"]
        )
    config = keras_grurcn.training.TrainingConfig(
        strategy="default", batch_size=2, epochs=1, verbose=0
    )
    task, metrics = keras_grurcn.training.train_two_stream(
        config, "/tmp/two_stream", ("/tmp/rgb", "/tmp/rgb"),
        ("/tmp/flow", "/tmp/flow"), build={"hidden_maps": 2},
    )
    metrics["rgb_accuracy"], metrics["flow_accuracy"], metrics["fused_accuracy"]
    ```
    """
    from keras_grurcn.data.cache_extraction import load_cache_preprocessor
    from keras_grurcn.data.cache_extraction import read_cache_class_names

    config.validate()
    arguments, fixed_weight = _stream_arguments(build or {})
    candidates = (
        [fixed_weight]
        if fixed_weight is not None
        else list(FLOW_WEIGHT_GRID if flow_weights is None else flow_weights)
    )
    # Train with train, validation with validation: the same videos each.
    flow_train_info = check_stream_caches(rgb_caches[0], flow_caches[0])[1]
    check_stream_caches(rgb_caches[1], flow_caches[1])
    if "class_names" not in arguments and "num_classes" not in arguments:
        arguments["class_names"] = read_cache_class_names(rgb_caches[0])
    if arguments.get("class_names") is None:
        arguments.pop("class_names", None)

    def model_fn(stream, cache):
        def build_stream():
            preprocessor = load_cache_preprocessor(cache)
            if stream == "flow":
                _check_flow_preprocessor(preprocessor, cache, flow_train_info["flow"])
            return build_stream_classifier(
                stream, preprocessor=preprocessor, **arguments
            )

        return build_stream

    streams, stream_metrics = {}, {}
    for stream, (train, val) in zip(STREAMS, (rgb_caches, flow_caches)):
        streams[stream], stream_metrics[stream] = train_and_evaluate(
            config,
            os.path.join(workdir, stream),
            model_fn(stream, train),
            percept_examples(
                train,
                read_batch_size=config.batch_size,
                shuffle=config.shuffle_buffer_size > 0,
                seed=config.seed,
            ),
            percept_examples(val, read_batch_size=config.batch_size),
            extra_callbacks=extra_callbacks,
            evaluation_protocol=evaluation_protocol,
        )
    report = late_fusion_report(
        streams["rgb"], streams["flow"], rgb_caches[1], flow_caches[1], candidates
    )
    task = TwoStreamVideoClassifier.from_streams(
        streams["rgb"], streams["flow"], flow_weight=report["flow_weight"]
    )
    task.compile()
    metrics = {**report, "streams": stream_metrics}
    if evaluation_protocol is not None:
        metrics["protocol"] = evaluation_protocol
    os.makedirs(workdir, exist_ok=True)
    task.save(os.path.join(workdir, "final.keras"))
    task.save_to_preset(os.path.join(workdir, "preset"))
    with open(os.path.join(workdir, "metrics.json"), "w") as file:
        json.dump(metrics, file, indent=2)
    return task, metrics


def _check_flow_preprocessor(preprocessor, cache, recorded):
    options = preprocessor.flow_image_options or {}
    if (options.get("method"), options.get("bound")) != (
        recorded["method"],
        recorded["bound"],
    ):
        raise ValueError(
            f"{cache}: the saved preprocessor reads {options.get('method')} flow "
            f"(bound {options.get('bound')}), but the cache holds "
            f"{recorded['method']} flow (bound {recorded['bound']}): the cache "
            "folder was changed after extraction."
        )
