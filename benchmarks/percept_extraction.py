"""What percept extraction costs per clip, and the Beam pipeline beside the in-process writer.

1. Per-clip time: the paper's extractor (VGG-16 cut at pool2, pool3, pool4,
   pool5 and fc7, 224x224 frames, 10 frames per clip; random weights, which
   cost the same as ImageNet ones) on batches of clips, best and median of
   the rounds.
2. Bytes per clip: one clip's records (`tf.train.Example` as stored) in
   float16, bfloat16 and uint8.
3. Writers side by side: the same generated videos cached by the
   in-process writer and by the Beam DirectRunner with 2 worker processes,
   wall-clock time of each and their ratio (interleaved rounds).

These numbers feed the Kinetics-400 estimate in docs/scaling.md. Results go
to `benchmarks/results/percept_extraction.json`.

Usage:
    python benchmarks/percept_extraction.py [--rounds 5] [--batch 2] ...
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time

import keras
import numpy as np

from keras_grurcn import data
from keras_grurcn.data.percept_cache_format import encode_example
from keras_grurcn.preprocessing import VideoPreprocessor

RESULTS = os.path.join(os.path.dirname(__file__), "results")


def build_extractor(levels, frames, size):
    """The cache's `VideoPreprocessor` (random VGG-16: timing only)."""
    return VideoPreprocessor("vgg16", levels, None, num_frames=frames, image_size=size)


def time_extraction(preprocessor, args):
    clip = keras.Input((args.frames, args.size, args.size, 3))
    extractor = keras.Model(clip, preprocessor(clip))  # compiled predict calls
    clips = np.random.default_rng(0).integers(
        0, 256, (args.batch, args.frames, args.size, args.size, 3)
    )
    clips = clips.astype("float32")
    extractor.predict_on_batch(clips)  # Builds and warms up.
    seconds, cpu_seconds = [], []
    for _ in range(args.rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        outputs = extractor.predict_on_batch(clips)
        seconds.append((time.perf_counter() - start) / args.batch)
        cpu_seconds.append((time.process_time() - cpu_start) / args.batch)
    percepts = {name: np.asarray(value)[0] for name, value in outputs.items()}
    return seconds, cpu_seconds, percepts


def record_bytes(percepts):
    sizes = {}
    for dtype in data.PERCEPT_DTYPES:
        quantization = None
        if dtype == "uint8":
            quantization = {
                name: {
                    "scale": float(v.max() - v.min()) / 255 or 1.0,
                    "offset": float(v.min()),
                }
                for name, v in percepts.items()
            }
        record, _ = encode_example(
            percepts,
            index=0,
            label=0,
            captions=[],
            video_id="v_ApplyEyeMakeup_g01_c01",
            dtype=dtype,
            quantization=quantization,
        )
        sizes[dtype] = len(record)
    return sizes


def time_writers(extractor, args, workdir):
    entries = data.write_motion_videos(
        os.path.join(workdir, "videos"),
        args.pipeline_clips,
        num_frames=args.frames,
        image_size=args.size,
    )
    preprocessor_dir = os.path.join(workdir, "preprocessor")
    extractor.save_to_preset(preprocessor_dir)
    common = dict(
        num_frames=args.frames,
        image_size=args.size,
        batch_size=args.batch,
        examples_per_shard=max(1, args.pipeline_clips // 4),
    )
    seconds = {"inprocess": [], "beam_direct_2_workers": []}
    for round_number in range(args.pipeline_rounds):
        for name in seconds:
            out = os.path.join(workdir, f"{name}_{round_number}")
            start = time.perf_counter()
            if name == "inprocess":
                data.write_percept_cache(
                    entries, extractor, out, progress=False, **common
                )
            else:
                data.write_percept_cache_beam(
                    entries,
                    preprocessor_dir,
                    out,
                    pipeline_options=["direct_num_workers=2"],
                    **common,
                )
            seconds[name].append(time.perf_counter() - start)
            shutil.rmtree(out)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", default="pool2,pool3,pool4,pool5,fc7")
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=2, help="clips per call")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pipeline-clips", type=int, default=8)
    parser.add_argument("--pipeline-rounds", type=int, default=2)
    parser.add_argument(
        "--output", default=os.path.join(RESULTS, "percept_extraction.json")
    )
    args = parser.parse_args()

    extractor = build_extractor(args.levels.split(","), args.frames, args.size)
    per_clip, cpu_per_clip, percepts = time_extraction(extractor, args)
    sizes = record_bytes(percepts)
    with tempfile.TemporaryDirectory() as workdir:
        writers = time_writers(extractor, args, workdir)
    best = {name: min(values) for name, values in writers.items()}
    result = {
        "workload": {
            "levels": args.levels.split(","),
            "frames": args.frames,
            "image_size": args.size,
            "batch_clips": args.batch,
            "pipeline_clips": args.pipeline_clips,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "keras_backend": keras.backend.backend(),
        },
        "seconds_per_clip": {
            "best": min(per_clip),
            "median": statistics.median(per_clip),
            "rounds": per_clip,
        },
        # Process CPU time (all threads): what a CPU-hour estimate needs,
        # and far less sensitive than wall time to other processes' load.
        "cpu_seconds_per_clip": {
            "best": min(cpu_per_clip),
            "median": statistics.median(cpu_per_clip),
            "rounds": cpu_per_clip,
        },
        "record_bytes_per_clip": sizes,
        "percept_values_per_clip": int(sum(v.size for v in percepts.values())),
        "writer_seconds": writers,
        "ratios": {
            "beam_direct_2_workers_over_inprocess": best["beam_direct_2_workers"]
            / best["inprocess"],
        },
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as file:
        json.dump(result, file, indent=2)
    print(
        f"seconds per clip (best, median): {min(per_clip):.3f}, "
        f"{statistics.median(per_clip):.3f}; CPU seconds per clip "
        f"{min(cpu_per_clip):.3f}, {statistics.median(cpu_per_clip):.3f}"
    )
    for dtype, size in sizes.items():
        print(f"bytes per clip, {dtype:<8} {size:>12,}")
    for name, values in writers.items():
        print(f"{name:<22} best {min(values):7.1f} s")
    for name, ratio in result["ratios"].items():
        print(f"{name:<40} {ratio:6.3f}")


if __name__ == "__main__":
    main()
