import os

import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn import export_saved_model
from keras_grurcn.export.caption_serving import caption_outputs
from tests.captioning.tiny_grurcn_captioner import NUM_FRAMES
from tests.captioning.tiny_grurcn_captioner import random_percepts
from tests.captioning.tiny_grurcn_captioner import tiny_captioner
from tests.captioning.tiny_grurcn_captioner import tiny_clips


def export(model, tmp_path, **options):
    path = os.path.join(tmp_path, "captioner", "1")
    export_saved_model(model, path, caption_options=options)
    return tf.saved_model.load(path).signatures["serving_default"]


def test_saved_model_signature_maps_uint8_frames_to_the_same_captions(tmp_path):
    model = tiny_captioner(seed=1)
    frames, _ = tiny_clips(3)
    expected = model.generate(frames, beam_width=3, max_length=8)
    serving = export(model, tmp_path, beam_width=3, max_length=8)
    outputs = serving(frames=tf.constant(frames.astype("uint8")))

    captions = [c.decode() for c in outputs["caption"].numpy()]
    assert captions == expected["captions"]
    beams = [[b.decode() for b in row] for row in outputs["beams"].numpy()]
    assert beams == expected["beams"]
    np.testing.assert_allclose(outputs["scores"], expected["scores"], atol=1e-4)
    np.testing.assert_allclose(outputs["attention"], expected["attention"], atol=1e-4)
    assert outputs["attention"].shape == (3, 8, NUM_FRAMES)


def test_any_frame_size_and_count_is_resized_and_sampled_in_graph(tmp_path):
    model = tiny_captioner(seed=1)
    serve = export(model, tmp_path, beam_width=2, max_length=6)
    frames, _ = tiny_clips(2)
    # 3x the frames (each repeated) and 2x the pixels: uniform sampling
    # takes back one copy of each original frame, and the resize averages
    # back 2x2 blocks of equal pixels (half-pixel centres), so the caption
    # must be the one of the original clip.
    long_clip = np.repeat(np.repeat(np.repeat(frames, 3, 1), 2, 2), 2, 3)
    outputs = serve(frames=tf.constant(long_clip.astype("uint8")))
    expected = serve(frames=tf.constant(frames.astype("uint8")))
    assert outputs["caption"].numpy().tolist() == expected["caption"].numpy().tolist()
    # generate() samples and resizes the same way, outside the graph.
    in_process = model.generate(long_clip, beam_width=2, max_length=6)
    assert in_process["captions"] == [c.decode() for c in outputs["caption"].numpy()]
    # Fewer frames than the model's T loop; a single frame works too.
    short = serve(frames=tf.constant(frames[:, :1].astype("uint8")))
    assert short["beams"].shape == (2, 2)


def test_caption_outputs_take_cached_percepts_too():
    model = tiny_captioner(seed=2)
    percepts = random_percepts(2)
    outputs = caption_outputs(beam_width=1, max_length=6)(model, percepts)
    expected = model.generate(percepts, beam_width=1, max_length=6)
    assert [c.decode() for c in outputs["caption"].numpy()] == expected["captions"]
    np.testing.assert_allclose(outputs["scores"], expected["scores"], atol=1e-4)


def test_caption_options_are_for_captioners(tmp_path):
    import keras_grurcn

    classifier = keras_grurcn.build_model(
        "grurcn",
        num_classes=2,
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
    )
    with pytest.raises(ValueError, match="caption_options"):
        export_saved_model(
            classifier, os.path.join(tmp_path, "other"), caption_options={}
        )
