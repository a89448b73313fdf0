"""Milliseconds per frame of the LiteRT streaming step on one CPU core.

Builds a small-backbone GRU-RCN (EfficientNetV2-B0 percepts at MoViNet-A0's
172 px by default; random weights, which do not change the time), writes its
streaming step with `keras_grurcn.export.export_litert`, and times, side by
side in one run, on one core (the process pins itself to CPU 0) with one
thread each:

- `litert_stream`: the `.tflite` `stream` signature, one frame per call
  (resizing at the model's size is a no-op, the CNN, the GRU-RCN cells, the
  head, the best-first labels), the states fed back (copied out of the
  interpreter's buffers, as a client must);
- `litert_cnn`: the same preprocessor's CNN alone on one frame, as a LiteRT
  file too: the floor the recurrence adds to;
- `savedmodel_stream`: the SavedModel's `stream` signature under TensorFlow
  with one intra-op and one inter-op thread, for context.

Rounds interleave the candidates; each round times `--frames` consecutive
frames. Other processes only add time, so the ratios use each candidate's
best round (medians beside them). MoViNet-A0-Stream's 16 ms per frame on one
x86 core (TF Model Garden's MoViNet README, TFLite) is a published figure
from another machine, quoted for comparison, not measured here.

Usage (results in docs/benchmarks.md):
    taskset -c 0 python benchmarks/litert_streaming.py [--image-size 172] [--rounds 7]
"""

import argparse
import json
import os
import platform
import statistics
import tempfile
import time

RESULTS = os.path.join(os.path.dirname(__file__), "results")
MOVINET_A0_STREAM_MS = 16.0


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", default="efficientnetv2b0")
    parser.add_argument("--levels", default="block3,block5,avg_pool")
    parser.add_argument("--image-size", type=int, default=172)
    parser.add_argument("--num-classes", type=int, default=101)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--frames", type=int, default=20, help="frames per round")
    parser.add_argument(
        "--output", default=os.path.join(RESULTS, "litert_streaming.json")
    )
    return parser.parse_args()


def pin_to_one_core():
    """Runs this process (and the threads it starts) on CPU 0 only."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        return sorted(os.sched_getaffinity(0))
    return None


def build_task(args):
    import keras_grurcn

    return keras_grurcn.build_model(
        "grurcn",
        num_classes=args.num_classes,
        backbone=args.backbone,
        backbone_weights=None,
        num_frames=10,
        image_size=args.image_size,
        levels=args.levels.split(","),
    )


def cnn_litert(task, path):
    """The preprocessor's CNN on one frame, as a LiteRT file of its own."""
    import keras
    import tensorflow as tf

    preprocessor = task.preprocessor
    size = preprocessor.image_size
    spec = tf.TensorSpec((1, *size, 3), tf.uint8, name="frame")

    def percepts(frame):
        clips = preprocessor.resize_frames(keras.ops.expand_dims(frame, 1))
        return preprocessor.percepts(clips, training=False)

    archive = keras.export.ExportArchive()
    archive.track(task)
    archive.add_endpoint("percepts", tf.function(percepts), input_signature=[spec])
    with tempfile.TemporaryDirectory() as folder:
        archive.write_out(folder, verbose=False)
        converter = tf.lite.TFLiteConverter.from_saved_model(
            folder, signature_keys=["percepts"]
        )
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        with open(path, "wb") as file:
            file.write(converter.convert())
    return path


def litert_stream_runner(path, frames):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path, num_threads=1)
    initial = interpreter.get_signature_runner("initial_state")(frame=frames[0])
    zeros = {name: value.copy() for name, value in initial.items()}
    stream = interpreter.get_signature_runner("stream")

    def run():
        states = dict(zeros)  # the stream reads them, never writes them
        for frame in frames:
            outputs = stream(frame=frame, **states)
            states = {name: outputs[name].copy() for name in states}

    return run


def litert_cnn_runner(path, frames):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path, num_threads=1)
    percepts = interpreter.get_signature_runner("percepts")

    def run():
        for frame in frames:
            percepts(frame=frame)

    return run


def saved_model_stream_runner(export_dir, frames):
    import tensorflow as tf

    signatures = tf.saved_model.load(export_dir).signatures
    tensors = [tf.constant(frame) for frame in frames]
    zeros = signatures["initial_state"](frame=tensors[0])

    def run():
        states = zeros
        for frame in tensors:
            outputs = signatures["stream"](frame=frame, **states)
            states = {name: outputs[name] for name in states}

    return run


def main():
    args = parse_arguments()
    cores = pin_to_one_core()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    from keras_grurcn.export import export_litert
    from keras_grurcn.export import export_saved_model

    task = build_task(args)
    rng = np.random.default_rng(0)
    frames = rng.integers(
        0, 256, (args.frames, 1, args.image_size, args.image_size, 3), "uint8"
    )
    with tempfile.TemporaryDirectory() as folder:
        stream_path = export_litert(task, os.path.join(folder, "stream.tflite"))
        cnn_path = cnn_litert(task, os.path.join(folder, "cnn.tflite"))
        export_dir = export_saved_model(task, os.path.join(folder, "saved_model"))
        sizes = {
            "stream_tflite_bytes": os.path.getsize(stream_path),
            "cnn_tflite_bytes": os.path.getsize(cnn_path),
        }
        runners = {
            "litert_stream": litert_stream_runner(stream_path, frames),
            "litert_cnn": litert_cnn_runner(cnn_path, frames),
            "savedmodel_stream": saved_model_stream_runner(export_dir, frames),
        }
        for run in runners.values():  # warm-up: allocation, tracing
            run()
        times = {name: [] for name in runners}
        for _ in range(args.rounds):
            for name, run in runners.items():
                start = time.perf_counter()
                run()
                times[name].append((time.perf_counter() - start) * 1e3 / args.frames)
    best = {name: min(values) for name, values in times.items()}
    median = {name: statistics.median(values) for name, values in times.items()}
    ratios = {
        "litert_stream_over_litert_cnn": best["litert_stream"] / best["litert_cnn"],
        "savedmodel_stream_over_litert_stream": (
            best["savedmodel_stream"] / best["litert_stream"]
        ),
        "litert_stream_over_movinet_a0_stream_published": (
            best["litert_stream"] / MOVINET_A0_STREAM_MS
        ),
    }
    result = {
        "workload": {
            "model": "grurcn",
            "backbone": args.backbone,
            "levels": args.levels.split(","),
            "image_size": args.image_size,
            "hidden_maps": dict(task.backbone.hidden_maps),
            "num_classes": args.num_classes,
            "frames_per_round": args.frames,
            "rounds": args.rounds,
            "threads": 1,
            "cores": cores,
            **sizes,
        },
        "best_ms_per_frame": best,
        "median_ms_per_frame": median,
        "ratios": ratios,
        "movinet_a0_stream_published_ms": MOVINET_A0_STREAM_MS,
        "load_average": os.getloadavg(),
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "tensorflow": tf.__version__,
        },
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as file:
        json.dump(result, file, indent=2)
    for name in runners:
        print(f"{name:<20} best {best[name]:8.2f} ms/frame  median {median[name]:8.2f}")
    for name, ratio in ratios.items():
        print(f"{name:<48} {ratio:6.3f}")
    print(f"load average {result['load_average']}")


if __name__ == "__main__":
    main()
