"""The video data layer against its floors, side by side in one run.

1. Decoding: frames/s through `video_dataset` (PyAV decode in a parallel
   `tf.data` map, uniform sampling, resize, centre crop, batching) against
   PyAV decoding alone: one process, `thread_type="AUTO"`, every frame
   decoded and nothing else (the floor of the ratio); the same loop that
   also converts every frame to RGB is reported beside it. All of them get
   through every frame of every file (uniform sampling needs the whole
   video), so frames/s counts the frames in the files.
2. Training: step time of a small GRU-RCN (one ConvGRU2D per level) fed
   from the TFRecord percept cache (`percept_dataset`) against the same
   model fed from in-memory NumPy percepts (`model.fit(x, y)`).

The clips are generated (`write_motion_videos`, H.264 `.mp4`). Rounds
interleave the candidates so that machine noise hits both alike. On a
shared machine other processes only ever add time, so the ratios use the
best round of each candidate; the ratios of the medians are reported
beside them, with the load average. Ratios are printed and written to
`benchmarks/results/data_pipeline.json`.

Usage:
    python benchmarks/data_pipeline.py [--rounds 11] [--videos 24] ...
"""

import argparse
import json
import os
import platform
import statistics
import tempfile
import time

import av
import keras
import numpy as np

from keras_grurcn import ConvGRU2D
from keras_grurcn import data as video_data

RESULTS = os.path.join(os.path.dirname(__file__), "results")


def raw_decode(paths, convert=False):
    """PyAV alone: decode every frame (to RGB if `convert`); returns the count."""
    count = 0
    for path in paths:
        with av.open(path) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                if convert:
                    frame.reformat(format="rgb24", threads=1).to_ndarray()
                count += 1
    return count


def pipeline_decode(entries, args):
    dataset = video_data.video_dataset(
        entries,
        num_frames=args.clip_frames,
        image_size=args.crop,
        batch_size=8,
    )
    clips = 0
    for frames, _ in dataset:
        clips += int(frames.shape[0])
    return clips


def timed(function, *arguments):
    """Wall seconds, result and process CPU seconds (all threads) of a call."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*arguments)
    timed.cpu = time.process_time() - cpu
    return time.perf_counter() - start, result


def bench_decoding(args, workdir):
    entries = video_data.write_motion_videos(
        os.path.join(workdir, "videos"),
        args.videos,
        num_frames=args.video_frames,
        image_size=args.video_size,
        patch_size=args.video_size // 4,
    )
    paths = [e.path for e in entries]
    total_frames = args.videos * args.video_frames
    raw_decode(paths)  # Warm the page cache and FFmpeg.
    pipeline_decode(entries, args)
    raw_times, rgb_times, pipeline_times, raw_cpu, pipeline_cpu = [], [], [], [], []
    for _ in range(args.rounds):
        seconds, count = timed(raw_decode, paths)
        assert count == total_frames, (count, total_frames)
        raw_times.append(seconds)
        raw_cpu.append(timed.cpu)
        rgb_times.append(timed(raw_decode, paths, True)[0])
        seconds, clips = timed(pipeline_decode, entries, args)
        assert clips == args.videos
        pipeline_times.append(seconds)
        pipeline_cpu.append(timed.cpu)
    raw_fps = total_frames / min(raw_times)
    pipeline_fps = total_frames / min(pipeline_times)
    return {
        "videos": args.videos,
        "frames_per_video": args.video_frames,
        "video_size": args.video_size,
        "codec": "H.264 (libx264, .mp4)",
        "clip_frames": args.clip_frames,
        "crop": args.crop,
        "raw_pyav_frames_per_s": round(raw_fps, 1),
        "raw_pyav_rgb_frames_per_s": round(total_frames / min(rgb_times), 1),
        "pipeline_frames_per_s": round(pipeline_fps, 1),
        "pipeline_clips_per_s": round(args.videos / min(pipeline_times), 1),
        "median_ratio": round(
            statistics.median(raw_times) / statistics.median(pipeline_times), 3
        ),
        # CPU seconds of all threads: insensitive to other processes, it
        # shows the pipeline's extra work, not the parallel speed-up.
        "cpu_ratio_raw_over_pipeline": round(min(raw_cpu) / min(pipeline_cpu), 3),
        "raw_seconds": [round(t, 3) for t in raw_times],
        "raw_rgb_seconds": [round(t, 3) for t in rgb_times],
        "pipeline_seconds": [round(t, 3) for t in pipeline_times],
    }


def percept_extractor(size):
    """A frozen random two-level CNN standing in for VGG-16's pool2/pool3."""
    frames = keras.Input((None, size, size, 3))
    x = keras.layers.Rescaling(1 / 255.0)(frames)
    low = keras.layers.TimeDistributed(
        keras.layers.Conv2D(32, 3, strides=4, padding="same", activation="relu")
    )(x)
    high = keras.layers.TimeDistributed(
        keras.layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")
    )(low)
    return keras.Model(frames, {"pool2": low, "pool3": high})


def gru_rcn(shapes):
    inputs = {
        name: keras.Input(tuple(shape), name=name) for name, shape in shapes.items()
    }
    logits = []
    for x in inputs.values():
        hidden = ConvGRU2D(16, 3, padding="same")(x)
        pooled = keras.layers.GlobalAveragePooling2D()(hidden)
        logits.append(keras.layers.Dense(4)(pooled))
    model = keras.Model(inputs, keras.layers.Average()(logits))
    model.compile(
        keras.optimizers.Adam(1e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start, self.cpu_start = time.perf_counter(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start
        self.cpu_seconds = time.process_time() - self.cpu_start


def bench_training(args, workdir):
    frames, labels = video_data.make_motion_clips(
        args.train_clips, num_frames=args.train_frames, image_size=args.train_size
    )
    extractor = percept_extractor(args.train_size)
    cache = os.path.join(workdir, "cache")
    info = video_data.write_percept_cache(
        (frames, labels), extractor, cache, batch_size=16, progress=False
    )
    in_memory = {
        name: np.asarray(value, np.float32)
        for name, value in extractor.predict(
            frames.astype(np.float32), batch_size=16, verbose=0
        ).items()
    }
    model = gru_rcn(info["levels"])
    initial = model.get_weights()
    steps = args.train_clips // args.batch
    cached_dataset = video_data.percept_dataset(
        cache, args.batch, shuffle=True, drop_remainder=True
    )

    def epoch(feed):
        timer = EpochTimer()
        model.set_weights(initial)
        if feed == "cached":
            model.fit(
                cached_dataset, epochs=1, shuffle=False, verbose=0, callbacks=[timer]
            )
        else:
            usable = steps * args.batch
            model.fit(
                {k: v[:usable] for k, v in in_memory.items()},
                labels[:usable],
                batch_size=args.batch,
                shuffle=True,
                epochs=1,
                verbose=0,
                callbacks=[timer],
            )
        return timer.seconds / steps, timer.cpu_seconds / steps

    epoch("memory")  # Trace both input signatures first.
    epoch("cached")
    memory, cached = [], []
    for _ in range(args.rounds):
        memory.append(epoch("memory"))
        cached.append(epoch("cached"))
    memory_steps, memory_cpu = zip(*memory)
    cached_steps, cached_cpu = zip(*cached)
    return {
        "clips": args.train_clips,
        "batch": args.batch,
        "steps_per_epoch": steps,
        "levels": info["levels"],
        "cache_dtype": info["dtype"],
        "in_memory_step_ms": round(1000 * min(memory_steps), 2),
        "cached_step_ms": round(1000 * min(cached_steps), 2),
        "median_ratio": round(
            statistics.median(cached_steps) / statistics.median(memory_steps), 3
        ),
        "cpu_ratio_cached_over_in_memory": round(min(cached_cpu) / min(memory_cpu), 3),
        "in_memory_step_ms_rounds": [round(1000 * s, 2) for s in memory_steps],
        "cached_step_ms_rounds": [round(1000 * s, 2) for s in cached_steps],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--videos", type=int, default=24)
    parser.add_argument("--video-frames", type=int, default=96)
    parser.add_argument("--video-size", type=int, default=160)
    parser.add_argument("--clip-frames", type=int, default=16)
    parser.add_argument("--crop", type=int, default=112)
    parser.add_argument("--train-clips", type=int, default=128)
    parser.add_argument("--train-frames", type=int, default=8)
    parser.add_argument("--train-size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--output", default=os.path.join(RESULTS, "data_pipeline.json"))
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as workdir:
        decoding = bench_decoding(args, workdir)
        training = bench_training(args, workdir)
    decode_ratio = decoding["pipeline_frames_per_s"] / decoding["raw_pyav_frames_per_s"]
    step_ratio = training["cached_step_ms"] / training["in_memory_step_ms"]
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "versions": {
            "av": av.__version__,
            "keras": keras.__version__,
            "backend": keras.backend.backend(),
        },
        "rounds": args.rounds,
        "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "decoding": decoding,
        "training": training,
        "ratios": {
            "pipeline_over_raw_decode_throughput": round(decode_ratio, 3),
            "cached_over_in_memory_step_time": round(step_ratio, 3),
        },
        "targets": {
            "pipeline_over_raw_decode_throughput": ">= 0.9",
            "cached_over_in_memory_step_time": "<= 1.1",
        },
        "met": {
            "pipeline_over_raw_decode_throughput": decode_ratio >= 0.9,
            "cached_over_in_memory_step_time": step_ratio <= 1.1,
        },
    }
    print(
        f"PyAV decode + RGB of every frame: "
        f"{decoding['raw_pyav_rgb_frames_per_s']:.1f} frames/s (for reference)"
    )
    print(f"{'':34s}{'floor':>14s}{'ours':>14s}{'ratio':>9s}  target")
    print(
        f"{'decode+sample throughput (fr/s)':34s}"
        f"{decoding['raw_pyav_frames_per_s']:>14.1f}"
        f"{decoding['pipeline_frames_per_s']:>14.1f}{decode_ratio:>9.3f}  >= 0.9"
    )
    print(
        f"{'training step (ms), cached':34s}"
        f"{training['in_memory_step_ms']:>14.2f}"
        f"{training['cached_step_ms']:>14.2f}{step_ratio:>9.3f}  <= 1.1"
    )
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as file:
        json.dump(results, file, indent=2)
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
