"""`grurcn demo`: the paper's claim, end to end, in a few CPU minutes.

Generates the synthetic motion dataset as real video files (single frames
carry no class information: only motion does), decodes them, extracts
percepts with a frozen VGG-16, trains the bidirectional GRU-RCN and the
frame-average baseline on the cached percepts, compares them, plots, exports
the trained GRU-RCN (the same model, frames in) as a SavedModel and serves
one prediction from it.
"""

import dataclasses
import json
import os
import time

import numpy as np

from keras_grurcn.cli.reporting import print_table
from keras_grurcn.cli.reporting import save_training_curves


@dataclasses.dataclass
class DemoConfig:
    """Sizes of the demo run; the defaults take a few minutes on 2 cores.

    Args:
        num_clips: synthetic clips written (3/4 train, 1/4 test).
        num_frames: frames per clip.
        image_size: frame height and width in pixels.
        levels: VGG-16 percept levels the GRU-RCN reads.
        hidden_maps: hidden maps per GRU-RCN level (per direction).
        epochs: training epochs of each model.
        batch_size: clips per training step.
        learning_rate: Adam's learning rate.
        backbone_weights: `None` (a fixed random VGG-16: nothing to
            download) or `"imagenet"` / a local weights file.
        seed: seed of the data and of training.
    """

    num_clips: int = 320
    num_frames: int = 8
    image_size: int = 32
    levels: tuple = ("pool1",)
    hidden_maps: tuple = (16,)
    epochs: int = 8
    batch_size: int = 16
    learning_rate: float = 3e-3
    backbone_weights: str | None = None
    seed: int = 0

    def validate(self):
        for name in ("num_clips", "num_frames", "image_size", "epochs", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"DemoConfig.{name} must be a positive int; got {value!r}."
                )
        if self.num_clips < 16:
            raise ValueError(
                f"DemoConfig.num_clips must be >= 16; got {self.num_clips}."
            )
        if len(self.levels) != len(self.hidden_maps):
            raise ValueError(
                "DemoConfig.hidden_maps must give one size per level; got "
                f"levels={self.levels}, hidden_maps={self.hidden_maps}."
            )


def split_train_test(entries, test_fraction=0.25):
    """A deterministic split that keeps every class in both parts."""
    train, test = [], []
    by_label = {}
    for entry in entries:
        by_label.setdefault(entry.label, []).append(entry)
    for group in by_label.values():
        cut = max(1, round(len(group) * test_fraction))
        test.extend(group[:cut])
        train.extend(group[cut:])
    return train, test


def run_demo(workdir="grurcn_runs/demo", config=None, log=print):
    """Runs the demo and returns its results (also written as JSON).

    Args:
        workdir: where every artifact goes (created; reruns overwrite).
        config: a `DemoConfig` (defaults: a few minutes on 2 CPU cores).
        log: a `print`-like function for progress and results.

    Returns:
        A dict with each model's test accuracy, parameters and training
        time, the paths of the artifacts and the served prediction.
    """
    import keras
    import tensorflow as tf

    from keras_grurcn import data
    from keras_grurcn import export
    from keras_grurcn import models
    from keras_grurcn.preprocessing import VideoPreprocessor

    config = config or DemoConfig()
    config.validate()
    keras.utils.set_random_seed(config.seed)
    workdir = os.path.abspath(workdir)
    paths = {
        "videos": os.path.join(workdir, "videos"),
        "cache": os.path.join(workdir, "percepts"),
        "plots": os.path.join(workdir, "plots"),
        "saved_model": os.path.join(
            workdir, "saved_model", "grurcn_bidirectional", "1"
        ),
        "results": os.path.join(workdir, "results.json"),
    }
    os.makedirs(workdir, exist_ok=True)

    log(
        f"[1/6] Writing {config.num_clips} synthetic motion videos to {paths['videos']}"
    )
    data.write_motion_videos(
        paths["videos"],
        config.num_clips,
        num_frames=config.num_frames,
        image_size=config.image_size,
        layout="folder",
        seed=config.seed,
    )
    entries = data.folder_entries(paths["videos"], class_names=data.MOTION_CLASSES)
    train_entries, test_entries = split_train_test(entries)

    log("[2/6] Extracting percepts with a frozen VGG-16 (cached as TFRecord)")
    # One preprocessor (its VGG-16 fixed: random unless ImageNet weights are
    # asked for) computes the cached percepts, and the trained models keep
    # it, so the exported model sees frames exactly as training did.
    preprocessor = VideoPreprocessor(
        "vgg16",
        levels=[*config.levels, "fc7"],
        backbone_weights=config.backbone_weights,
        num_frames=config.num_frames,
        image_size=config.image_size,
        name="preprocessor",
    )
    caches = {}
    for split, split_entries in (("train", train_entries), ("test", test_entries)):
        caches[split] = os.path.join(paths["cache"], split)
        data.write_percept_cache(
            split_entries,
            preprocessor,
            caches[split],
            num_frames=config.num_frames,
            image_size=config.image_size,
            batch_size=config.batch_size,
        )

    contenders = {
        "grurcn_bidirectional": dict(
            levels=list(config.levels),
            hidden_maps=list(config.hidden_maps),
            # Random-VGG activations saturate the GRU gates without it.
            percept_normalization="instance",
        ),
        "frame_average": dict(percept_normalization="instance"),
    }
    results, histories = {}, {}
    for step, (name, overrides) in enumerate(contenders.items(), start=3):
        log(f"[{step}/6] Training {name} on the cached percepts")
        keras.utils.set_random_seed(config.seed)  # each model starts alike
        model = models.build_model(
            name,
            class_names=list(data.MOTION_CLASSES),
            preprocessor=preprocessor,
            **overrides,
        )
        levels = model.backbone_input_names
        train = data.percept_dataset(
            caches["train"],
            config.batch_size,
            levels=levels,
            shuffle=True,
            seed=config.seed,
        )
        test = data.percept_dataset(caches["test"], config.batch_size, levels=levels)
        model.compile(keras.optimizers.Adam(config.learning_rate))
        start = time.perf_counter()
        history = model.fit(
            train, validation_data=test, epochs=config.epochs, shuffle=False, verbose=0
        )
        seconds = time.perf_counter() - start
        histories[name] = history.history
        accuracy = model.evaluate(test, return_dict=True, verbose=0)["accuracy"]
        results[name] = {
            "test_accuracy": float(accuracy),
            # The frozen CNN is shared; what each model learns is the rest.
            "trainable_parameters": int(
                sum(np.prod(weight.shape) for weight in model.trainable_weights)
            ),
            "train_seconds": round(seconds, 1),
            "model": model,
        }

    log("[5/6] Plotting training curves and the confusion matrix")
    os.makedirs(paths["plots"], exist_ok=True)
    paths["curves"] = save_training_curves(
        histories, os.path.join(paths["plots"], "training_curves.png")
    )
    best = results["grurcn_bidirectional"]["model"]
    test_batches = list(
        data.percept_dataset(
            caches["test"], config.batch_size, levels=best.backbone_input_names
        )
    )
    probabilities = np.concatenate(
        [best.predict_on_batch(inputs) for inputs, _ in test_batches]
    )
    labels = np.concatenate([np.asarray(target) for _, target in test_batches])
    from keras_grurcn.training import plot_confusion_matrix

    paths["confusion_matrix"] = os.path.join(paths["plots"], "confusion_matrix.png")
    num_classes = len(data.MOTION_CLASSES)
    confusion = np.zeros((num_classes, num_classes), "int64")
    np.add.at(confusion, (labels, probabilities.argmax(-1)), 1)
    plot_confusion_matrix(confusion, data.MOTION_CLASSES, paths["confusion_matrix"])

    log(f"[6/6] Exporting the trained GRU-RCN to {paths['saved_model']} and serving it")
    # The model trained on percepts takes frames as it is: its preprocessor
    # is the one that made the cache.
    export.export_saved_model(best, paths["saved_model"], overwrite=True)
    served = tf.saved_model.load(paths["saved_model"])
    video = test_entries[0]
    frames = data.read_video(video.path)[None]
    answer = served.signatures["serving_default"](frames=tf.constant(frames))
    in_process = best.predict(frames, verbose=0)
    served_prediction = {
        "video": video.path,
        "true_class": data.MOTION_CLASSES[video.label],
        "served_class": answer["labels"][0, 0].numpy().decode(),
        "served_probabilities": np.round(
            answer["probabilities"][0].numpy(), 4
        ).tolist(),
        "max_abs_diff_vs_predict": float(
            np.max(np.abs(answer["probabilities"].numpy() - in_process))
        ),
    }

    rows = [
        (
            name,
            f"{r['trainable_parameters']:,}",
            f"{100 * r['test_accuracy']:.1f}%",
            f"{r['train_seconds']:.0f}s",
        )
        for name, r in results.items()
    ]
    log("")
    print_table(
        ("model", "trainable parameters", "test top-1", "train time"), rows, log=log
    )
    log(f"chance: {100 / len(data.MOTION_CLASSES):.0f}%")
    log(
        f"Served prediction for {os.path.basename(video.path)}: "
        f"{served_prediction['served_class']} (true: {served_prediction['true_class']})"
    )
    summary = {
        "config": dataclasses.asdict(config),
        "models": {
            name: {k: v for k, v in r.items() if k != "model"}
            for name, r in results.items()
        },
        "served_prediction": served_prediction,
        "artifacts": paths,
    }
    with open(paths["results"], "w") as file:
        json.dump(summary, file, indent=2)
    log("Artifacts:")
    for name in (
        "videos",
        "cache",
        "curves",
        "confusion_matrix",
        "saved_model",
        "results",
    ):
        log(f"  {name:<17} {paths[name]}")
    return summary
