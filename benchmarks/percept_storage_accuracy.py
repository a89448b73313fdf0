"""What float16, bfloat16 and uint8 percept storage cost in bytes and in accuracy.

The synthetic motion task as the demo sets it up (`grurcn demo`: 320 clips
of 8 frames at 32x32 written as videos, a fixed random VGG-16, the
bidirectional GRU-RCN on pool1 with instance-normalised percepts, 8
epochs): the same train/test videos are cached once per storage dtype and
the same model (same seed) is trained on each cache. Reported per dtype and
seed: test accuracy, bytes per clip on disk, and the largest error of the
stored percepts against the extractor's float32 output. Results go to
`benchmarks/results/percept_storage_accuracy.json`.

Usage:
    python benchmarks/percept_storage_accuracy.py [--seeds 0 1] [--clips 320]
"""

import argparse
import json
import os
import tempfile
import time

import keras
import numpy as np

from keras_grurcn import data
from keras_grurcn import models
from keras_grurcn.cli.demo import DemoConfig
from keras_grurcn.cli.demo import split_train_test
from keras_grurcn.preprocessing import VideoPreprocessor

RESULTS = os.path.join(os.path.dirname(__file__), "results")


def extract(entries, extractor, folder, dtype, config):
    return data.write_percept_cache(
        entries,
        extractor,
        folder,
        num_frames=config.num_frames,
        image_size=config.image_size,
        batch_size=config.batch_size,
        percept_dtype=dtype,
        progress=False,
    )


def storage_error(entries, extractor, cache, config):
    """Largest |stored - float32| over the cache, per level, and the range."""
    frames = np.concatenate(
        [
            f
            for f, _ in data.video_dataset(
                entries,
                num_frames=config.num_frames,
                image_size=config.image_size,
                batch_size=config.batch_size,
            ).as_numpy_iterator()
        ]
    )
    exact = extractor.predict(frames.astype("float32"), verbose=0)
    stored = {level: [] for level in exact}
    for percepts, _ in data.percept_dataset(cache, 64):
        for level in stored:
            stored[level].append(percepts[level].numpy())
    return {
        level: {
            "max_abs_error": float(
                np.abs(np.concatenate(stored[level]) - exact[level]).max()
            ),
            "max_abs_value": float(np.abs(exact[level]).max()),
        }
        for level in exact
    }


def train_and_test(caches, preprocessor, config, seed):
    keras.utils.set_random_seed(seed)
    model = models.build_model(
        "grurcn_bidirectional",
        class_names=list(data.MOTION_CLASSES),
        preprocessor=preprocessor,
        levels=list(config.levels),
        hidden_maps=list(config.hidden_maps),
        percept_normalization="instance",
    )
    levels = model.backbone_input_names
    train = data.percept_dataset(
        caches["train"], config.batch_size, levels=levels, shuffle=True, seed=seed
    )
    test = data.percept_dataset(caches["test"], config.batch_size, levels=levels)
    model.compile(keras.optimizers.Adam(config.learning_rate))
    model.fit(train, epochs=config.epochs, shuffle=False, verbose=0)
    return float(model.evaluate(test, return_dict=True, verbose=0)["accuracy"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=DemoConfig.num_clips)
    parser.add_argument("--epochs", type=int, default=DemoConfig.epochs)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument(
        "--dtypes", nargs="+", choices=data.PERCEPT_DTYPES, default=data.PERCEPT_DTYPES
    )
    parser.add_argument(
        "--output", default=os.path.join(RESULTS, "percept_storage_accuracy.json")
    )
    args = parser.parse_args()
    config = DemoConfig(num_clips=args.clips, epochs=args.epochs)
    size = (config.image_size,) * 2
    result = {
        "config": {
            **vars(args),
            "dtypes": list(args.dtypes),
            "levels": list(config.levels),
        },
        "dtypes": {},
    }
    with tempfile.TemporaryDirectory() as workdir:
        data.write_motion_videos(
            os.path.join(workdir, "videos"),
            config.num_clips,
            num_frames=config.num_frames,
            image_size=config.image_size,
        )
        entries = data.folder_entries(
            os.path.join(workdir, "videos"), class_names=data.MOTION_CLASSES
        )
        splits = dict(zip(("train", "test"), split_train_test(entries)))
        keras.utils.set_random_seed(0)  # One fixed random backbone for all.
        preprocessor = VideoPreprocessor(
            "vgg16",
            [*config.levels, "fc7"],
            None,
            num_frames=config.num_frames,
            image_size=size,
        )
        frames = keras.Input((config.num_frames, *size, 3))
        extractor = keras.Model(frames, preprocessor(frames))
        for dtype in args.dtypes:
            caches, bytes_on_disk = {}, 0
            for split, split_entries in splits.items():
                caches[split] = os.path.join(workdir, dtype, split)
                info = extract(split_entries, extractor, caches[split], dtype, config)
                bytes_on_disk += sum(s["num_bytes"] for s in info["shards"])
            error = storage_error(splits["test"], extractor, caches["test"], config)
            accuracies = {}
            for seed in args.seeds:
                start = time.perf_counter()
                accuracies[seed] = train_and_test(caches, preprocessor, config, seed)
                print(
                    f"{dtype:<8} seed {seed}: test accuracy {accuracies[seed]:.3f} "
                    f"({time.perf_counter() - start:.0f} s)",
                    flush=True,
                )
            result["dtypes"][dtype] = {
                "test_accuracy": accuracies,
                "bytes_per_clip": bytes_on_disk / len(entries),
                "storage_error": error,
            }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as file:
        json.dump(result, file, indent=2)
    for dtype, row in result["dtypes"].items():
        accuracy = ", ".join(f"{a:.3f}" for a in row["test_accuracy"].values())
        print(f"{dtype:<8} {row['bytes_per_clip']:>10,.0f} B/clip  accuracy {accuracy}")


if __name__ == "__main__":
    main()
