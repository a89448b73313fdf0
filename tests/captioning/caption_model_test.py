import os

import keras
import numpy as np
import pytest

from keras_grurcn.captioning import build_caption_model
from keras_grurcn.captioning import compile_caption_model
from keras_grurcn.captioning import greedy_decode
from keras_grurcn.captioning import teacher_forcing_pairs
from tests.captioning.tiny_captioner import CAPTIONS
from tests.captioning.tiny_captioner import FEATURE_DIM
from tests.captioning.tiny_captioner import TIME_STEPS
from tests.captioning.tiny_captioner import tiny_vocabulary


def _memorisation_data():
    # One distinct feature pattern per caption: a decoder that attends and
    # learns can reproduce every caption from its video.
    rng = np.random.default_rng(0)
    features = rng.normal(size=(len(CAPTIONS), TIME_STEPS, FEATURE_DIM))
    return features.astype("float32"), tiny_vocabulary().encode(CAPTIONS)


def test_fit_learns_the_captions_and_the_model_reloads_from_keras_file(tmp_path):
    keras.utils.set_random_seed(0)
    vocabulary = tiny_vocabulary()
    model = build_caption_model(
        (TIME_STEPS, FEATURE_DIM),
        vocabulary,
        embedding_dim=16,
        units=32,
        attention_units=16,
        dropout=0.1,
    )
    compile_caption_model(model, vocabulary, optimizer=keras.optimizers.Adam(0.02))
    features, caption_ids = _memorisation_data()
    inputs, targets = teacher_forcing_pairs(features, caption_ids)
    history = model.fit(inputs, targets, batch_size=4, epochs=60, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    assert history.history["masked_accuracy"][-1] == 1.0

    decoder = model.get_layer("caption_decoder")
    result = greedy_decode(decoder, features, max_length=8)
    assert vocabulary.decode(result["token_ids"]) == CAPTIONS

    path = os.path.join(tmp_path, "captioner.keras")
    model.save(path)
    reloaded = keras.models.load_model(path, safe_mode=True)
    np.testing.assert_allclose(
        reloaded.predict(inputs, verbose=0), model.predict(inputs, verbose=0), atol=1e-6
    )
    assert reloaded.get_layer("caption_decoder").vocabulary == vocabulary
    # The compiled loss and metric come back too, so training can resume.
    assert reloaded.evaluate(inputs, targets, verbose=0, return_dict=True)[
        "masked_accuracy"
    ] == pytest.approx(1.0)


def test_inputs_are_named_for_swapping_in_an_encoder():
    model = build_caption_model((None, 8), tiny_vocabulary(), embedding_dim=4, units=4)
    assert sorted(model.input) == ["features", "tokens"]
    assert model.input["features"].shape == (None, None, 8)
    assert model.output.shape == (None, None, tiny_vocabulary().vocabulary_size)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="feature_shape"):
        build_caption_model((4, 4, 8), tiny_vocabulary())
    with pytest.raises(ValueError, match="caption_ids"):
        teacher_forcing_pairs(np.zeros((2, 4, 8)), np.zeros((2,), "int32"))
