import numpy as np
import pytest

from keras_grurcn.data import sample_frame_indices


def test_uniform_takes_segment_centres():
    np.testing.assert_array_equal(sample_frame_indices(100, 4), [12, 37, 62, 87])
    np.testing.assert_array_equal(sample_frame_indices(4, 4), [0, 1, 2, 3])


def test_random_clip_is_contiguous_with_stride_and_seeded():
    rng = np.random.default_rng(0)
    starts = set()
    for _ in range(50):
        clip = sample_frame_indices(20, 4, sampling="random", stride=3, rng=rng)
        np.testing.assert_array_equal(np.diff(clip), [3, 3, 3])
        assert 0 <= clip[0] and clip[-1] < 20
        starts.add(int(clip[0]))
    assert starts == set(range(0, 11))  # Every admissible start is drawn.
    centred = sample_frame_indices(20, 4, sampling="random", stride=3)
    np.testing.assert_array_equal(centred, [5, 8, 11, 14])


def test_multi_clip_spreads_clips_from_first_to_last_start():
    clips = sample_frame_indices(30, 4, sampling="multi_clip", num_clips=3, stride=2)
    assert clips.shape == (3, 4)
    np.testing.assert_array_equal(clips[:, 0], [0, 12, 23])
    assert clips[-1, -1] == 29


@pytest.mark.parametrize(
    "sampling, short_video, expected",
    [
        ("uniform", "loop", [0, 1, 2, 0, 1]),
        ("uniform", "pad", [0, 1, 2, 2, 2]),
        ("random", "loop", [0, 2, 1, 0, 2]),
        ("random", "pad", [0, 2, 2, 2, 2]),
    ],
)
def test_short_videos_loop_or_pad(sampling, short_video, expected):
    stride = 2 if sampling == "random" else 1
    indices = sample_frame_indices(
        3, 5, sampling=sampling, stride=stride, short_video=short_video
    )
    np.testing.assert_array_equal(indices, expected)


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="sampling"):
        sample_frame_indices(10, 2, sampling="dense")
    with pytest.raises(ValueError, match="short_video"):
        sample_frame_indices(10, 2, short_video="zero")
    with pytest.raises(ValueError, match="num_available"):
        sample_frame_indices(0, 2)
