import json
import math

import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.training import evaluate_multi_clip
from keras_grurcn.training import evenly_spaced_clips
from keras_grurcn.training import plot_confusion_matrix

NUM_CLASSES = 6


class ProbabilitiesInPixels:
    """A stand-in classifier: each clip's first pixel holds its probabilities."""

    def predict_on_batch(self, clips):
        return clips[:, 0, 0, 0, :].astype("float32")


def video(*clip_probabilities):
    clips = np.zeros((len(clip_probabilities), 2, 1, 1, NUM_CLASSES), "float32")
    for index, probabilities in enumerate(clip_probabilities):
        clips[index, 0, 0, 0] = probabilities
    return clips


def one_hot(index, weight=1.0):
    probabilities = np.full(NUM_CLASSES, (1 - weight) / (NUM_CLASSES - 1))
    probabilities[index] = weight
    return probabilities


def test_evenly_spaced_clips_cover_the_video():
    frames = np.arange(20).reshape(20, 1, 1, 1)
    clips = evenly_spaced_clips(frames, num_clips=3, clip_length=4)
    assert clips[:, :, 0, 0, 0].tolist() == [
        [0, 1, 2, 3],
        [8, 9, 10, 11],
        [16, 17, 18, 19],
    ]
    short = evenly_spaced_clips(frames[:2], num_clips=2, clip_length=4)
    assert short[:, :, 0, 0, 0].tolist() == [[0, 1, 1, 1], [0, 1, 1, 1]]
    with pytest.raises(ValueError, match="at least one frame"):
        evenly_spaced_clips(frames[:0], 2, 4)


def test_video_prediction_is_the_average_over_its_clips(tmp_path):
    videos = [
        # One confident clip for class 1 outweighs two weak ones for class 0.
        (video(one_hot(0, 0.3), one_hot(0, 0.3), one_hot(1, 0.95)), 1),
        (video(one_hot(2), one_hot(2)), 2),
        # Wrong at top-1 (class 4), right at top-5.
        (video([0.05, 0.05, 0.1, 0.3, 0.5, 0.0]), 3),
        # Wrong even at top-5: class 5 has the smallest probability.
        (video([0.2, 0.2, 0.2, 0.2, 0.2, 0.0]), 5),
    ]
    report = evaluate_multi_clip(
        ProbabilitiesInPixels(),
        tf.data.Dataset.from_generator(
            lambda: iter(videos),
            output_signature=(
                tf.TensorSpec((None, 2, 1, 1, NUM_CLASSES), tf.float32),
                tf.TensorSpec((), tf.int32),
            ),
        ),
        class_names=list("abcdef"),
        batch_size=2,
        output_dir=str(tmp_path),
    )
    assert report["num_videos"] == 4
    assert report["top1_accuracy"] == 0.5
    assert report["top5_accuracy"] == 0.75
    assert report["per_class_accuracy"]["b"] == 1.0
    assert report["per_class_accuracy"]["d"] == 0.0
    assert math.isnan(report["per_class_accuracy"]["a"])  # no test videos
    confusion = report["confusion_matrix"]
    assert confusion.sum() == 4
    assert confusion[1, 1] == confusion[2, 2] == confusion[3, 4] == 1
    # Class 0: (0.3 + 0.3 + 0.01) / 3; class 1: (0.14 + 0.14 + 0.95) / 3.
    np.testing.assert_allclose(
        report["probabilities"][0][:2], [0.61 / 3, 1.23 / 3], atol=1e-6
    )

    with open(tmp_path / "evaluation.json") as file:
        written = json.load(file)
    assert written["per_class_accuracy"]["a"] is None
    assert written["confusion_matrix"] == confusion.tolist()
    png = (tmp_path / "confusion_matrix.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_bad_inputs_are_explained():
    model = ProbabilitiesInPixels()
    with pytest.raises(ValueError, match="views shaped"):
        evaluate_multi_clip(model, [(np.zeros((2, 1, 1, NUM_CLASSES)), 0)])
    with pytest.raises(ValueError, match="labels must be in"):
        evaluate_multi_clip(model, [(video(one_hot(0)), 9)])
    with pytest.raises(ValueError, match="2 class_names"):
        evaluate_multi_clip(model, [(video(one_hot(0)), 0)], class_names=["a", "b"])
    with pytest.raises(ValueError, match="is empty"):
        evaluate_multi_clip(model, [])


def test_confusion_matrix_plot(tmp_path):
    figure = plot_confusion_matrix(
        np.array([[3, 1], [0, 4]]), ["walk", "run"], str(tmp_path / "cm.png")
    )
    image = figure.axes[0].images[0].get_array()
    np.testing.assert_allclose(image, [[0.75, 0.25], [0.0, 1.0]])
    assert (tmp_path / "cm.png").stat().st_size > 0
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.zeros((2, 3)))
