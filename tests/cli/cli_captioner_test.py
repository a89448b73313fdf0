"""`grurcn evaluate` / `caption` / `export` on a tiny GRU-RCN captioner."""

import json
import os

import pytest

from keras_grurcn import data
from keras_grurcn.cli import main
from tests.captioning.tiny_grurcn_captioner import tiny_captioner
from tests.captioning.tiny_grurcn_captioner import tiny_clips


def test_evaluate_writes_scores_and_captions_per_video(tmp_path, capsys):
    frames, captions = tiny_clips(4)
    model = tiny_captioner()
    cache = str(tmp_path / "cache")
    data.write_percept_cache(
        (frames, [0, 1, 2, 3], captions), model.preprocessor, cache, progress=False
    )
    model_path = str(tmp_path / "captioner.keras")
    model.save(model_path)
    output = str(tmp_path / "evaluation")
    status = main(
        [
            "evaluate",
            "--model",
            model_path,
            "--cache",
            cache,
            "--output",
            output,
            "--beam-width",
            "2",
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "BLEU-4" in out and "CIDEr" in out and "reference:" in out
    lines = [json.loads(line) for line in open(os.path.join(output, "captions.jsonl"))]
    assert len(lines) == 4
    for line in lines:
        assert line["references"] and isinstance(line["caption"], str)
    assert "BLEU-4" in json.load(open(os.path.join(output, "scores.json")))


def test_caption_and_export_commands(tmp_path, capsys):
    frames, _ = tiny_clips(1)
    video = str(tmp_path / "clip.mp4")
    data.write_video(video, frames[0].astype("uint8"))
    model_path = str(tmp_path / "captioner.keras")
    tiny_captioner().save(model_path)
    assert main(["caption", "--model", model_path, video]) == 0
    in_process = capsys.readouterr().out
    export_dir = str(tmp_path / "served" / "1")
    assert main(["export", "--model", model_path, "--out", export_dir]) == 0
    capsys.readouterr()
    assert main(["caption", "--model", export_dir, video]) == 0
    served = capsys.readouterr().out
    assert "clip.mp4" in served and "clip.mp4" in in_process


@pytest.mark.large
def test_msvd_layout_extract_train_evaluate_a_captioner(tmp_path, capsys):
    videos = str(tmp_path / "msvd")
    caches = tmp_path / "caches"
    common = ["--frames", "4", "--image-size", "32"]
    assert (
        main(
            [
                "prepare",
                "synthetic",
                "--out",
                videos,
                "--clips",
                "12",
                "--layout",
                "msvd",
                *common,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "prepare",
                "check",
                "--videos",
                videos,
                "--layout",
                "msvd",
                "--subset",
                "all",
            ]
        )
        == 0
    )
    for subset, folder in (("train", "train"), ("test", "test")):
        status = main(
            [
                "extract",
                "--videos",
                videos,
                "--layout",
                "msvd",
                "--subset",
                subset,
                "--msvd-split-sizes",
                "8,0,4",
                "--out",
                str(caches / folder),
                "--levels",
                "pool2",
                "--backbone-weights",
                "none",
                *common,
            ]
        )
        assert status == 0
    workdir = str(tmp_path / "run")
    status = main(
        [
            "train",
            "--model",
            "grurcn_captioner",
            "--data-dir",
            str(caches),
            "--workdir",
            workdir,
            "--epochs",
            "1",
            "--batch-size",
            "8",
        ]
    )
    assert status == 0
    assert os.path.exists(os.path.join(workdir, "history.csv"))
    capsys.readouterr()
    status = main(
        [
            "evaluate",
            "--model",
            os.path.join(workdir, "preset"),
            "--cache",
            str(caches / "test"),
            "--beam-width",
            "1",
        ]
    )
    assert status == 0
    assert "BLEU-4" in capsys.readouterr().out
