"""Flow percept caches: the RGB cache's writer, fed flow images while decoding."""

import json

import keras
import numpy as np
import pytest

from keras_grurcn.data import PerceptCacheError
from keras_grurcn.data import VideoEntry
from keras_grurcn.data import make_motion_clips
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import read_video
from keras_grurcn.data import video_flow_images
from keras_grurcn.data import write_percept_cache
from keras_grurcn.data import write_percept_cache_beam
from keras_grurcn.data import write_video
from keras_grurcn.preprocessing import VideoPreprocessor
from tests.data.percept_cache_helpers import assert_same_cache
from tests.data.percept_cache_helpers import cache_contents

CLIPS = dict(num_frames=4, image_size=32, examples_per_shard=3)
FLOW = dict(modality="flow", flow_method="farneback", flow_bound=4.0)


def flow_preprocessor():
    keras.utils.set_random_seed(0)
    return VideoPreprocessor(
        "vgg16",
        ["pool1"],
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        modality="flow",
        flow_method="farneback",
        flow_bound=4.0,
    )


@pytest.fixture(scope="module")
def videos(folder_tree, bad_videos, tmp_path_factory):
    _, good = folder_tree
    still = write_video(
        tmp_path_factory.mktemp("still") / "still.avi",
        np.zeros((1, 32, 32, 3), "uint8"),
    )
    return [*good[:3], VideoEntry(bad_videos["corrupt"], 1), VideoEntry(still, 2)]


@pytest.fixture(scope="module")
def flow_cache(videos, tmp_path_factory):
    folder = tmp_path_factory.mktemp("flow_cache")
    preprocessor = flow_preprocessor()
    info = write_percept_cache(
        videos, preprocessor, folder, progress=False, **CLIPS, **FLOW
    )
    return folder, info, preprocessor


def test_a_flow_cache_holds_the_percepts_of_the_served_flow_images(videos, flow_cache):
    folder, info, preprocessor = flow_cache
    assert info["modality"] == "flow"
    assert info["flow"]["method"] == "farneback" and info["flow"]["bound"] == 4.0
    assert "next frame" in info["flow"]["frame_pairs"]
    assert read_cache_info(folder)["flow"] == info["flow"]
    ids, labels, percepts = cache_contents(folder)
    assert len(ids) == 3 == info["num_examples"]
    for row, entry in enumerate(videos[:3]):
        flow = video_flow_images(
            read_video(entry.path), **preprocessor.flow_image_options
        )
        expected = preprocessor(flow[None])["pool1"]
        np.testing.assert_allclose(
            percepts["pool1"][row], keras.ops.convert_to_numpy(expected)[0], atol=0.05
        )
    # Bad videos are skipped and reported as for RGB, one-frame ones too.
    with open(folder / "failures.jsonl") as file:
        failures = {row["path"]: row["reason"] for row in map(json.loads, file)}
    assert set(failures) == {videos[3].path, videos[4].path}
    assert "at least 2 frames" in failures[videos[4].path]


def test_an_rgb_cache_records_its_modality_and_cannot_resume_as_flow(videos, tmp_path):
    preprocessor = VideoPreprocessor(
        "vgg16", ["pool1"], backbone_weights=None, num_frames=4, image_size=32
    )
    info = write_percept_cache(
        videos[:2], preprocessor, tmp_path, progress=False, **CLIPS
    )
    assert (info["modality"], info["flow"]) == ("rgb", None)
    (tmp_path / "cache_info.json").unlink()  # As if interrupted.
    with pytest.raises(PerceptCacheError, match="RGB frames .now farneback flow"):
        write_percept_cache(
            videos[:2], flow_preprocessor(), tmp_path, progress=False, **CLIPS, **FLOW
        )


def test_flow_needs_videos_and_valid_settings(tmp_path):
    clips = make_motion_clips(2, num_frames=3)
    with pytest.raises(ValueError, match="list of VideoEntry"):
        write_percept_cache(clips, flow_preprocessor(), tmp_path, **FLOW)
    with pytest.raises(ValueError, match="flow_bound"):
        write_percept_cache([], flow_preprocessor(), tmp_path, flow_bound=3)
    with pytest.raises(ValueError, match="flow_method"):
        write_percept_cache([], None, tmp_path, modality="flow", flow_method="lucas")


def test_beam_writes_the_same_flow_cache(videos, flow_cache, tmp_path):
    folder, _, preprocessor = flow_cache
    preprocessor.save_to_preset(tmp_path / "preprocessor")
    info = write_percept_cache_beam(
        videos, tmp_path / "preprocessor", tmp_path / "beam", **CLIPS, **FLOW
    )
    assert info["flow"] == read_cache_info(folder)["flow"]
    assert_same_cache(tmp_path / "beam", folder)
