import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.captioning import caption_frames
from keras_grurcn.captioning import caption_outputs
from keras_grurcn.captioning import caption_serving_function
from keras_grurcn.captioning import caption_videos
from tests.captioning.tiny_grurcn_captioner import NUM_FRAMES
from tests.captioning.tiny_grurcn_captioner import tiny_captioner
from tests.captioning.tiny_grurcn_captioner import tiny_clips


class _CaptionModule(tf.Module):
    def __init__(self, model, **options):
        super().__init__()
        self.model = model  # tracks the variables
        self.caption = caption_serving_function(model, **options)


def test_saved_model_signature_maps_uint8_frames_to_the_same_captions(tmp_path):
    model = tiny_captioner("frames", seed=1)
    frames, _ = tiny_clips(3)
    expected = caption_videos(model, frames, beam_width=3, max_length=8)

    export_dir = os.path.join(tmp_path, "captioner")
    module = _CaptionModule(model, beam_width=3, max_length=8)
    tf.saved_model.save(
        module, export_dir, signatures={"serving_default": module.caption}
    )
    serving = tf.saved_model.load(export_dir).signatures["serving_default"]
    outputs = serving(frames=tf.constant(frames.astype("uint8")))

    captions = [c.decode() for c in outputs["caption"].numpy()]
    assert captions == expected["captions"]
    beams = [[b.decode() for b in row] for row in outputs["beams"].numpy()]
    assert beams == expected["beams"]
    np.testing.assert_allclose(outputs["scores"], expected["scores"], atol=1e-4)
    np.testing.assert_allclose(outputs["attention"], expected["attention"], atol=1e-4)
    assert outputs["attention"].shape == (3, 8, NUM_FRAMES)


def test_any_frame_size_and_count_is_resized_and_sampled_in_graph():
    model = tiny_captioner("frames", seed=1)
    serve = caption_serving_function(model, beam_width=2, max_length=6)
    frames, _ = tiny_clips(2)
    # 3x the frames (each repeated) and 2x the pixels: uniform sampling
    # takes back one copy of each original frame, and the resize averages
    # back 2x2 blocks of equal pixels (half-pixel centres), so the caption
    # must be the one of the original clip.
    long_clip = np.repeat(np.repeat(np.repeat(frames, 3, 1), 2, 2), 2, 3)
    outputs = serve(tf.constant(long_clip.astype("uint8")))
    expected = serve(tf.constant(frames.astype("uint8")))
    assert outputs["caption"].numpy().tolist() == expected["caption"].numpy().tolist()
    # caption_frames samples and resizes the same way, outside the graph.
    in_process = caption_frames(model, long_clip, beam_width=2, max_length=6)
    assert in_process["captions"] == [c.decode() for c in outputs["caption"].numpy()]
    # Fewer frames than the model's T loop; a single frame works too.
    short = serve(tf.constant(frames[:, :1].astype("uint8")))
    assert short["beams"].shape == (2, 2)


def test_percepts_captioner_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="inputs='frames'"):
        caption_serving_function(tiny_captioner("percepts"))


def test_caption_outputs_plug_into_an_export_archive_endpoint(tmp_path):
    # The shape of keras_grurcn.export's `endpoints` hook: outputs_fn(model,
    # frames already at the model's clip shape).
    model = tiny_captioner("frames", seed=2)
    frames, _ = tiny_clips(2)
    outputs_fn = caption_outputs(beam_width=1, max_length=6)
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "serving_default",
        tf.function(lambda clips: outputs_fn(model, clips)),
        input_signature=[
            tf.TensorSpec((None, *frames.shape[1:]), tf.float32, name="frames")
        ],
    )
    export_dir = os.path.join(tmp_path, "archive")
    archive.write_out(export_dir, verbose=False)
    serving = tf.saved_model.load(export_dir).signatures["serving_default"]
    outputs = serving(frames=tf.constant(frames))
    expected = caption_videos(model, frames, beam_width=1, max_length=6)
    assert [c.decode() for c in outputs["caption"].numpy()] == expected["captions"]
    np.testing.assert_allclose(outputs["scores"], expected["scores"], atol=1e-4)


def test_export_saved_model_gives_a_captioner_its_caption_signature(tmp_path):
    from keras_grurcn import export_saved_model

    model = tiny_captioner("frames", seed=1)
    frames, _ = tiny_clips(2)
    expected = caption_frames(model, frames, beam_width=2, max_length=8)
    export_dir = export_saved_model(
        model,
        os.path.join(tmp_path, "captioner", "1"),
        caption_options={"beam_width": 2, "max_length": 8},
    )
    serving = tf.saved_model.load(export_dir).signatures["serving_default"]
    outputs = serving(frames=tf.constant(frames.astype("uint8")))
    assert [c.decode() for c in outputs["caption"].numpy()] == expected["captions"]
    with pytest.raises(ValueError, match="caption_options"):
        export_saved_model(
            model, os.path.join(tmp_path, "other"), endpoints={"serving_default": None}
        )
