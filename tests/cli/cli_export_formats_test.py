"""`grurcn export --format` and `grurcn predict --stream`, through `main(argv)`."""

import json
import re

import keras
import numpy as np
import pytest

import keras_grurcn
from keras_grurcn import data
from keras_grurcn.cli import main

CLASS_NAMES = ["walk", "run", "jump"]
TINY = dict(
    class_names=CLASS_NAMES,
    backbone_weights=None,
    num_frames=4,
    image_size=32,
    levels=["pool2"],
    hidden_maps=2,
)
RUNNING_TOP1 = re.compile(r"^(\S+) frame (\d+): (\w+) (\d\.\d\d)$")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli_export")
    keras.utils.set_random_seed(0)
    keras_grurcn.build_model("grurcn", **TINY).save_to_preset(folder / "preset")
    keras_grurcn.build_model("grurcn_bidirectional", **TINY).save_to_preset(
        folder / "bidirectional"
    )
    video = np.random.default_rng(0).integers(0, 256, (4, 40, 48, 3), "uint8")
    data.write_video(str(folder / "clip.mp4"), video)
    return folder


def running_top1(out):
    return [RUNNING_TOP1.match(line).groups() for line in out.strip().splitlines()]


def test_export_writes_each_format(workdir, capsys):
    status = main(
        ["export", "--model", str(workdir / "preset"), "--out", str(workdir / "sm/1")]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "initial_state and stream classify a video frame by frame" in out
    assert (workdir / "sm/1/saved_model.pb").is_file()

    from ai_edge_litert.interpreter import Interpreter

    tflite = workdir / "model.tflite"
    argv = ["export", "--model", str(workdir / "preset"), "--format", "litert"]
    assert main([*argv, "--out", str(tflite)]) == 0
    assert "one 32x32 uint8 frame at a time" in capsys.readouterr().out
    signatures = Interpreter(model_path=str(tflite)).get_signature_list()
    assert sorted(signatures) == ["initial_state", "stream"]
    camera = workdir / "camera.tflite"
    assert main([*argv, "--frame-size", "40x48", "--out", str(camera)]) == 0
    assert "one 40x48 uint8 frame at a time" in capsys.readouterr().out
    stream = Interpreter(model_path=str(camera)).get_signature_runner("stream")
    assert stream.get_input_details()["frame"]["shape"].tolist() == [1, 40, 48, 3]

    import onnxruntime

    onnx_file = workdir / "model.onnx"
    argv = ["export", "--model", str(workdir / "preset"), "--format", "onnx"]
    assert main([*argv, "--out", str(onnx_file)]) == 0
    session = onnxruntime.InferenceSession(str(onnx_file))
    assert [tensor.name for tensor in session.get_inputs()] == ["frames"]


def test_predict_stream_prints_the_running_top1_of_every_frame(workdir, capsys):
    assert (
        main(["predict", "--model", str(workdir / "preset"), str(workdir / "clip.mp4")])
        == 0
    )
    table = capsys.readouterr().out
    whole_top1 = table.strip().splitlines()[-1].split()[1:3]  # name, probability

    status = main(
        [
            "predict",
            "--stream",
            "--model",
            str(workdir / "preset"),
            str(workdir / "clip.mp4"),
        ]
    )
    assert status == 0
    lines = running_top1(capsys.readouterr().out)
    assert [int(frame) for _, frame, _, _ in lines] == [0, 1, 2, 3]
    # After the clip length, the running answer is the whole clip's.
    assert [lines[-1][2], lines[-1][3] + ","] == whole_top1


def test_predict_stream_from_the_saved_model_prints_the_same(workdir, capsys):
    preset = str(workdir / "preset")
    export_dir = str(workdir / "stream_sm/1")
    assert main(["export", "--model", preset, "--out", export_dir]) == 0
    capsys.readouterr()
    video = str(workdir / "clip.mp4")
    assert main(["predict", "--stream", "--model", preset, "--every", "2", video]) == 0
    from_task = running_top1(capsys.readouterr().out)
    assert (
        main(["predict", "--stream", "--model", export_dir, "--every", "2", video]) == 0
    )
    from_saved_model = running_top1(capsys.readouterr().out)
    assert [int(line[1]) for line in from_task] == [0, 2]
    assert from_saved_model == from_task


def test_a_bad_video_is_reported_and_the_others_still_stream(workdir, capsys):
    missing = str(workdir / "missing.mp4")
    status = main(
        [
            "predict",
            "--stream",
            "--model",
            str(workdir / "preset"),
            missing,
            str(workdir / "clip.mp4"),
        ]
    )
    assert status == 1
    captured = capsys.readouterr()
    assert "missing.mp4" in captured.err and "Traceback" not in captured.err
    assert len(running_top1(captured.out)) == 4


def test_predict_stream_json_is_one_record_per_frame_and_names_bad_files(
    workdir, capsys
):
    preset, video = str(workdir / "preset"), str(workdir / "clip.mp4")
    assert main(["predict", "--stream", "--model", preset, video]) == 0
    text = running_top1(capsys.readouterr().out)
    missing = str(workdir / "missing.mp4")
    argv = ["predict", "--stream", "--json", "--top", "2", "--model", preset]
    assert main([*argv, missing, video]) == 1
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.strip().splitlines()]
    assert records[0] == {"video": missing, "error": "no such file."}
    assert "missing.mp4" in captured.err and "1 of 2 videos" in captured.err
    updates = records[1:]
    assert [record["frame"] for record in updates] == [0, 1, 2, 3]
    assert {record["video"] for record in updates} == {video}
    for record, (_, _, label, probability) in zip(updates, text):
        best, second = record["predictions"]
        assert best["probability"] >= second["probability"]
        assert (best["label"], f"{best['probability']:.2f}") == (label, probability)


def test_every_is_refused_without_stream(workdir, capsys):
    argv = ["predict", "--every", "2", "--model", str(workdir / "preset")]
    assert main([*argv, str(workdir / "clip.mp4")]) == 2
    assert "--every is for --stream" in capsys.readouterr().err


def test_frame_size_is_refused_for_the_saved_model(workdir, capsys):
    argv = ["export", "--model", str(workdir / "preset"), "--frame-size", "40x48"]
    assert main([*argv, "--out", str(workdir / "unused/1")]) == 2
    assert "--frame-size is for --format litert or onnx" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*argv[:-1], "40x", "--out", str(workdir / "unused/1")])
    assert "expected HEIGHTxWIDTH" in capsys.readouterr().err


def test_what_cannot_stream_says_why(workdir, capsys):
    bidirectional = str(workdir / "bidirectional")
    argv = ["export", "--model", bidirectional, "--format", "litert"]
    assert main([*argv, "--out", str(workdir / "bi.tflite")]) == 2
    assert "backward GRU-RCNs" in capsys.readouterr().err
    assert not (workdir / "bi.tflite").exists()

    argv = ["predict", "--stream", "--model", bidirectional, str(workdir / "clip.mp4")]
    assert main(argv) == 2
    assert "cannot stream frame by frame" in capsys.readouterr().err

    assert (
        main(["export", "--model", bidirectional, "--out", str(workdir / "bi/1")]) == 0
    )
    assert "No streaming signatures" in capsys.readouterr().out
