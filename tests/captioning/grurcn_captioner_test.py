import os

import keras
import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.captioning import VideoCaptioner
from keras_grurcn.models import build_model
from tests.captioning.tiny_grurcn_captioner import NUM_FRAMES
from tests.captioning.tiny_grurcn_captioner import random_percepts
from tests.captioning.tiny_grurcn_captioner import tiny_captioner
from tests.captioning.tiny_grurcn_captioner import tiny_clips


def _train_step(model, video_inputs, captions):
    vocabulary = model.vocabulary
    model.compile(keras.optimizers.Adam(1e-2))
    ids = vocabulary.encode([caption[0] for caption in captions])
    if not isinstance(video_inputs, dict):
        video_inputs = {"frames": video_inputs}
    history = model.fit(
        {**video_inputs, "tokens": ids[:, :-1]}, ids[:, 1:], epochs=2, verbose=0
    )
    assert np.isfinite(history.history["loss"]).all()
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_captioner_trains_on_frames_and_reloads_in_safe_mode(tmp_path):
    model = tiny_captioner()
    assert isinstance(model, VideoCaptioner)
    # Per level: a ConvGRU over every step, then spatial pooling per step.
    assert model.backbone.get_layer("pool1_grurcn").return_sequences
    assert model.features.output.shape == (None, NUM_FRAMES, 4 + 4)
    frames, captions = tiny_clips()
    ids = model.vocabulary.encode([caption[0] for caption in captions])
    logits = model({"frames": frames, "tokens": ids[:, :-1]})
    assert logits.shape == (4, ids.shape[1] - 1, model.vocabulary.vocabulary_size)

    _train_step(model, frames, captions)
    before = model.generate(frames, beam_width=2, max_length=8)

    path = os.path.join(tmp_path, "captioner.keras")
    model.save(path)
    reloaded = keras.models.load_model(path, safe_mode=True)
    after = reloaded.generate(frames, beam_width=2, max_length=8)
    assert after["captions"] == before["captions"]
    np.testing.assert_allclose(after["scores"], before["scores"], atol=1e-5)
    assert reloaded.vocabulary == model.vocabulary


def test_captioner_trains_on_the_percepts_of_its_levels(tmp_path):
    model = tiny_captioner()
    assert model.backbone_input_names == ["pool1", "pool2"]
    _, captions = tiny_clips(2)
    _train_step(model, random_percepts(2), captions)
    model.save_to_preset(tmp_path / "preset")
    reloaded = VideoCaptioner.from_preset(str(tmp_path / "preset"))
    percepts = random_percepts(2, seed=5)
    assert (
        reloaded.generate(percepts, beam_width=2, max_length=6)["captions"]
        == model.generate(percepts, beam_width=2, max_length=6)["captions"]
    )


def test_generate_returns_captions_beams_scores_and_attention():
    model = tiny_captioner(tie_embeddings=True)
    result = model.generate(random_percepts(3), beam_width=3, max_length=7)
    assert len(result["captions"]) == 3
    assert all(isinstance(caption, str) for caption in result["captions"])
    assert [len(beams) for beams in result["beams"]] == [3, 3, 3]
    assert [beams[0] for beams in result["beams"]] == result["captions"]
    assert result["scores"].shape == (3, 3)
    assert (np.diff(result["scores"], axis=1) <= 1e-6).all()  # best first
    assert result["attention"].shape == (3, 7, NUM_FRAMES)
    lengths = (result["token_ids"][:, 0] != 0).sum(-1)
    for row, length in zip(result["attention"], lengths):
        np.testing.assert_allclose(row[:length].sum(-1), 1.0, atol=1e-5)
        np.testing.assert_allclose(row[length:], 0.0)


def test_greedy_is_beam_width_one():
    model = tiny_captioner()
    percepts = random_percepts(2)
    greedy = model.generate(percepts, beam_width=1, max_length=6)
    assert greedy["scores"].shape == (2, 1)
    assert greedy["attention"].shape == (2, 6, NUM_FRAMES)
    assert greedy["captions"] == [beams[0] for beams in greedy["beams"]]


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="vocabulary"):
        build_model("grurcn_captioner", backbone_weights=None, image_size=32)
    with pytest.raises(ValueError, match="Unknown argument"):
        tiny_captioner(num_classes_typo=3)
    model = tiny_captioner()
    with pytest.raises(ValueError, match="'tokens'.*generate"):
        model(random_percepts(1))
    with pytest.raises(ValueError, match="return_sequences=True"):
        VideoCaptioner(
            keras_grurcn.GRURCNBackbone({"pool2": (8, 8, 4)}, num_frames=4),
            vocabulary=model.vocabulary,
        )


def _model_log_prob(model, percepts, token_ids):
    """Log-probability of generated ids under the full model, teacher-forced."""
    vocabulary = model.vocabulary
    bos = np.full((len(token_ids), 1), vocabulary.bos_id, "int32")
    inputs = {**percepts, "tokens": np.concatenate([bos, token_ids[:, :-1]], 1)}
    logits = np.asarray(model.predict(inputs, verbose=0), "float64")
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    chosen = np.take_along_axis(log_probs, token_ids[..., None], axis=-1)[..., 0]
    # Count the words and <eos>; <pad> after it is not generated.
    ends = np.cumsum(token_ids == vocabulary.eos_id, axis=1)
    generated = (ends == 0) | ((ends == 1) & (token_ids == vocabulary.eos_id))
    return (chosen * generated).sum(-1)


def test_beam_search_captions_are_at_least_as_likely_as_greedy():
    model = tiny_captioner(seed=3)
    percepts = random_percepts(4, seed=1)
    greedy = model.generate(percepts, beam_width=1, max_length=8)
    beam = model.generate(percepts, beam_width=4, max_length=8)
    greedy_log_prob = _model_log_prob(model, percepts, greedy["token_ids"][:, 0])
    beam_log_prob = _model_log_prob(model, percepts, beam["token_ids"][:, 0])
    np.testing.assert_allclose(greedy_log_prob, greedy["scores"][:, 0], atol=1e-4)
    np.testing.assert_allclose(beam_log_prob, beam["scores"][:, 0], atol=1e-4)
    assert (beam_log_prob >= greedy_log_prob - 1e-5).all()
