"""`grurcn predict` / `caption` over a batch with unreadable files: every
readable file is answered, each bad one is named, the exit status is 1."""

import json

import numpy as np
import pytest

from keras_grurcn import data
from keras_grurcn.cli import main
from tests.captioning.tiny_grurcn_captioner import tiny_captioner
from tests.training.tiny_classifiers import grurcn_classifier


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("answer_videos")
    rng = np.random.default_rng(0)
    good = [
        str(
            data.write_video(
                folder / name, rng.integers(0, 255, (12, 32, 32, 3), np.uint8)
            )
        )
        for name in ("first.mp4", "second.avi")
    ]
    truncated = folder / "truncated.avi"
    content = open(good[1], "rb").read()
    truncated.write_bytes(content[: len(content) // 2])
    not_a_video = folder / "notes.mp4"
    not_a_video.write_text("not a video\n" * 20)
    bad = [str(truncated), str(not_a_video), str(folder / "missing.mp4")]
    # Bad files first, between and last: none of them stops the batch.
    order = [bad[0], good[0], bad[1], good[1], bad[2]]
    return order, good, bad


@pytest.fixture(scope="module")
def classifier_file(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("classifier") / "classifier.keras")
    grurcn_classifier().save(path)
    return path


def test_predict_answers_every_readable_file_and_names_each_bad_one(
    videos, classifier_file, capsys
):
    order, good, bad = videos
    assert main(["predict", "--model", classifier_file, *order, "--top", "2"]) == 1
    captured = capsys.readouterr()
    for name in ("first.mp4", "second.avi"):
        line = next(row for row in captured.out.splitlines() if name in row)
        assert line.count("class_") == 2, line
    for path in bad:
        assert path in captured.err
    assert "3 of 5 videos could not be read" in captured.err
    assert "Traceback" not in captured.err


def test_predict_json_lines_hold_answers_and_failures(videos, classifier_file, capsys):
    order, good, bad = videos
    assert main(["predict", "--model", classifier_file, "--json", *order]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["video"] for record in records] == order
    by_video = {record["video"]: record for record in records}
    for path in good:
        predictions = by_video[path]["predictions"]
        assert len(predictions) == 3
        probabilities = [p["probability"] for p in predictions]
        assert probabilities == sorted(probabilities, reverse=True)
        assert abs(sum(probabilities) - 1) < 1e-4  # all three classes
        assert {p["label"] for p in predictions} == {"class_0", "class_1", "class_2"}
    assert "truncated" in by_video[bad[0]]["error"]
    for path in bad:
        assert "predictions" not in by_video[path] and by_video[path]["error"]


def test_all_good_files_exit_zero(videos, classifier_file, capsys):
    _, good, _ = videos
    assert main(["predict", "--model", classifier_file, "--json", *good]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_caption_answers_every_readable_file(videos, tmp_path, capsys):
    order, good, bad = videos
    path = str(tmp_path / "captioner.keras")
    tiny_captioner().save(path)
    assert main(["caption", "--model", path, "--json", *order]) == 1
    captured = capsys.readouterr()
    records = {
        record["video"]: record for record in map(json.loads, captured.out.splitlines())
    }
    for video in good:
        assert isinstance(records[video]["caption"], str)
    for video in bad:
        assert records[video]["error"] and video in captured.err
