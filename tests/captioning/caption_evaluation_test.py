import json
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.captioning import evaluate_captioner
from keras_grurcn.metrics import caption_scores
from tests.captioning.tiny_grurcn_captioner import random_percepts
from tests.captioning.tiny_grurcn_captioner import tiny_captioner
from tests.captioning.tiny_grurcn_captioner import tiny_clips


def test_scores_every_video_and_writes_scores_and_captions(tmp_path):
    model = tiny_captioner()
    frames, captions = tiny_clips(3)
    ids = ["vid_a", "vid_b", "vid_c"]
    references = dict(zip(ids, captions))
    output_dir = os.path.join(tmp_path, "evaluation")
    result = evaluate_captioner(
        model,
        dict(zip(ids, frames)),
        references,
        beam_width=2,
        output_dir=output_dir,
        max_length=8,
        meteor=False,
        tokenizer="nltk",
    )
    generated = model.generate(frames, beam_width=2, max_length=8)["captions"]
    expected = caption_scores(
        references, dict(zip(ids, generated)), meteor=False, tokenizer="nltk"
    )
    assert result["scores"]["BLEU-4"] == pytest.approx(expected["BLEU-4"])
    assert result["scores"]["CIDEr"] == pytest.approx(expected["CIDEr"])
    assert result["num_videos"] == 3 and result["num_missing"] == 0
    assert [row["id"] for row in result["examples"]] == ids

    with open(os.path.join(output_dir, "scores.json")) as file:
        saved = json.load(file)
    assert saved["BLEU-4"] == pytest.approx(expected["BLEU-4"])
    with open(os.path.join(output_dir, "captions.jsonl")) as file:
        rows = [json.loads(line) for line in file]
    assert [row["id"] for row in rows] == ids
    assert [row["caption"] for row in rows] == generated
    assert rows[0]["references"] == captions[0]


def test_takes_batches_of_frames_and_ids_from_a_dataset():
    model = tiny_captioner()
    frames, captions = tiny_clips(3)
    ids = np.array([b"x0", b"x1", b"x2"])
    dataset = tf.data.Dataset.from_tensor_slices((frames.astype("uint8"), ids))
    references = {"x0": captions[0], "x1": captions[1], "x2": captions[2]}
    references["never_decoded"] = ["a red square moves up"]
    result = evaluate_captioner(
        model,
        dataset.batch(2),
        references,
        beam_width=1,
        max_length=8,
        meteor=False,
        tokenizer="nltk",
    )
    assert result["num_videos"] == 3 and result["num_missing"] == 1
    assert 0.0 <= result["scores"]["BLEU-4"] <= 1.0


def test_references_can_come_with_the_videos_as_ragged_captions():
    # As percept_dataset(..., target="captions") yields them.
    model = tiny_captioner()
    percepts = random_percepts(3)
    captions = [["a red square moves up", "a red box goes up"], ["x"], ["y", "z"]]
    dataset = tf.data.Dataset.from_tensor_slices(
        (percepts, tf.ragged.constant(captions))
    ).batch(2)
    result = evaluate_captioner(
        model, dataset, beam_width=2, max_length=8, meteor=False, tokenizer="nltk"
    )
    generated = model.generate(percepts, beam_width=2, max_length=8)
    references = {str(i): refs for i, refs in enumerate(captions)}
    expected = caption_scores(
        references,
        {str(i): c for i, c in enumerate(generated["captions"])},
        meteor=False,
        tokenizer="nltk",
    )
    assert result["scores"] == pytest.approx(expected)
    assert result["num_videos"] == 3
    assert result["examples"][2]["references"] == ["y", "z"]


def test_bad_inputs_are_named():
    model = tiny_captioner()
    frames, captions = tiny_clips(1)
    with pytest.raises(ValueError, match="references"):
        evaluate_captioner(model, {"a": frames[0]}, {})
    with pytest.raises(ValueError, match="no references"):
        evaluate_captioner(model, {"a": frames[0]}, {"b": captions[0]})
    with pytest.raises(ValueError, match="video_ids"):
        evaluate_captioner(model, [frames], {"a": captions[0]})
