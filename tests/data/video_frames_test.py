"""`iter_video_frames`: a file's frames one at a time, as `read_video` decodes them."""

import numpy as np
import pytest

from keras_grurcn.data import VideoDecodeError
from keras_grurcn.data import iter_video_frames
from keras_grurcn.data import read_video


def test_the_frames_are_read_videos_one_by_one(bad_videos):
    everything = read_video(bad_videos["good"])
    frames = list(iter_video_frames(bad_videos["good"]))
    assert len(frames) == len(everything) == 30
    np.testing.assert_array_equal(np.stack(frames), everything)
    every_third = list(iter_video_frames(bad_videos["good"], every=3))
    np.testing.assert_array_equal(np.stack(every_third), everything[::3])


def test_frames_come_before_the_file_is_decoded_to_the_end(bad_videos):
    frames = iter_video_frames(bad_videos["good"])
    first = next(frames)
    assert first.shape == (32, 32, 3) and first.dtype == np.uint8
    frames.close()  # The generator closes the container on the way out.


@pytest.mark.parametrize(
    "kind", ["truncated", "not_a_video", "empty_file", "zero_frames"]
)
def test_a_bad_file_is_a_video_decode_error_naming_it(kind, bad_videos):
    path = str(bad_videos[kind])
    with pytest.raises(VideoDecodeError) as error:
        list(iter_video_frames(path))
    assert path in str(error.value)


def test_a_file_cut_short_fails_after_the_frames_that_decode(bad_videos):
    frames = []
    with pytest.raises(VideoDecodeError, match="truncated or corrupt"):
        for frame in iter_video_frames(bad_videos["truncated"]):
            frames.append(frame)
    assert 0 < len(frames) < 30


def test_missing_file_is_named(tmp_path):
    path = str(tmp_path / "missing.mp4")
    with pytest.raises(VideoDecodeError, match="missing.mp4"):
        next(iter_video_frames(path))


def test_memory_guards(bad_videos):
    with pytest.raises(VideoDecodeError, match="more frames than max_frames=10"):
        list(iter_video_frames(bad_videos["good"], max_frames=10))
    with pytest.raises(VideoDecodeError, match="max_pixels=100"):
        next(iter_video_frames(bad_videos["good"], max_pixels=100))


@pytest.mark.parametrize("every", [0, -1, 1.5, True])
def test_every_must_be_a_positive_int(every, bad_videos):
    with pytest.raises(ValueError, match="`every` must be a positive int"):
        next(iter_video_frames(bad_videos["good"], every=every))
