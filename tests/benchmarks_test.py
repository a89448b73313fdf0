"""The benchmark scripts run end to end on tiny workloads and write their ratios.

Timings at these sizes mean nothing; what is checked is that the scripts
still run against the package and report every ratio they promise.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_benchmark(script, output, *arguments, backend="tensorflow"):
    completed = subprocess.run(
        [sys.executable, f"benchmarks/{script}", *arguments, "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "KERAS_BACKEND": backend},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout, json.loads(output.read_text())


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_convgru_benchmark_reports_its_ratios(tmp_path, backend):
    stdout, result = run_benchmark(
        "convgru_vs_convlstm.py",
        tmp_path / "convgru.json",
        *("--batch", "2", "--steps", "3", "--size", "6", "--channels", "4"),
        *("--filters", "2", "--rounds", "2", "--seconds", "0"),
        backend=backend,
    )
    assert result["backend"] == backend
    assert result["workload"]["input_shape"] == [2, 3, 6, 6, 4]
    layers = ("convgru2d", "convgru2d_autodiff", "convgru2d_bptt", "convlstm2d")
    expected = {
        f"{kind}_{name}_over_handrolled"
        for kind in ("train", "forward")
        for name in layers
    }
    expected |= {"train_convgru2d_over_convlstm2d", "forward_convgru2d_over_convlstm2d"}
    expected |= {
        "train_masked_over_plain",
        "forward_masked_over_plain",
        "train_stateful_over_plain",
        "forward_stateful_over_plain",
        "train_recurrent_dropout_over_plain",
    }
    assert set(result["ratios"]) == expected
    for name, ms in result["median_ms"].items():
        assert 0 < result["best_ms"][name] <= ms
    for name, ratio in result["ratios"].items():
        assert ratio > 0 and f"{name:<44} {ratio:6.3f}" in stdout
    assert set(result["targets_met"]) == {
        "train_convgru2d_over_handrolled <= "
        + ("0.9" if backend == "tensorflow" else "0.1"),
        "forward_convgru2d_over_handrolled <= 1.0",
        "train_masked_over_plain <= 1.15",
        "train_stateful_over_plain <= 1.15",
        "train_recurrent_dropout_over_plain <= 1.15",
    }
    assert len(result["load_average_start"]) == 3


def test_data_pipeline_benchmark_reports_its_ratios(tmp_path):
    _, result = run_benchmark(
        "data_pipeline.py",
        tmp_path / "data.json",
        *("--rounds", "1", "--videos", "2", "--video-frames", "12"),
        *("--video-size", "32", "--clip-frames", "4", "--crop", "24"),
        *("--train-clips", "8", "--train-frames", "2", "--train-size", "16"),
        *("--batch", "4"),
    )
    assert set(result["ratios"]) == {
        "pipeline_over_raw_decode_throughput",
        "cached_over_in_memory_step_time",
    }
    assert all(ratio > 0 for ratio in result["ratios"].values())


def test_litert_streaming_benchmark_reports_its_ratios(tmp_path):
    stdout, result = run_benchmark(
        "litert_streaming.py",
        tmp_path / "litert.json",
        *("--backbone", "vgg16", "--levels", "pool1", "--image-size", "32"),
        *("--num-classes", "3", "--rounds", "1", "--frames", "2"),
    )
    assert result["workload"]["threads"] == 1
    assert set(result["best_ms_per_frame"]) == {
        "litert_stream",
        "litert_cnn",
        "savedmodel_stream",
    }
    assert set(result["ratios"]) == {
        "litert_stream_over_litert_cnn",
        "savedmodel_stream_over_litert_stream",
        "litert_stream_over_movinet_a0_stream_published",
    }
    for name, ratio in result["ratios"].items():
        assert ratio > 0 and name in stdout
    assert len(result["load_average"]) == 3


def test_percept_extraction_benchmark_reports_cost_and_ratio(tmp_path):
    _, result = run_benchmark(
        "percept_extraction.py",
        tmp_path / "extraction.json",
        *("--levels", "pool2", "--frames", "2", "--size", "32", "--rounds", "1"),
        *("--pipeline-clips", "2", "--pipeline-rounds", "1"),
    )
    assert result["cpu_seconds_per_clip"]["best"] > 0
    sizes = result["record_bytes_per_clip"]
    assert sizes["float16"] == sizes["bfloat16"] > sizes["uint8"]
    assert result["ratios"]["beam_direct_2_workers_over_inprocess"] > 0


def test_percept_storage_benchmark_reports_accuracy_per_dtype(tmp_path):
    _, result = run_benchmark(
        "percept_storage_accuracy.py",
        tmp_path / "storage.json",
        *("--clips", "16", "--epochs", "1", "--seeds", "0"),
        *("--dtypes", "float16", "uint8"),
    )
    rows = result["dtypes"]
    assert set(rows) == {"float16", "uint8"}
    assert rows["uint8"]["bytes_per_clip"] < rows["float16"]["bytes_per_clip"]
    for row in rows.values():
        assert 0 <= row["test_accuracy"]["0"] <= 1
