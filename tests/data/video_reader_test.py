import numpy as np
import pytest

from keras_grurcn.data import VideoDecodeError
from keras_grurcn.data import check_videos
from keras_grurcn.data import make_motion_clips
from keras_grurcn.data import probe_video
from keras_grurcn.data import read_video
from keras_grurcn.data import video_reader
from keras_grurcn.data import write_video


@pytest.mark.parametrize("extension", [".mp4", ".avi", ".webm", ".mkv"])
def test_round_trip_through_every_container(tmp_path, extension):
    frames, _ = make_motion_clips(1, num_frames=6, image_size=32)
    path = write_video(tmp_path / f"clip{extension}", frames[0])
    info = probe_video(path)
    assert (info.num_frames, info.height, info.width) == (6, 32, 32)
    decoded = read_video(path)
    assert decoded.shape == (6, 32, 32, 3) and decoded.dtype == np.uint8
    error = np.abs(decoded.astype(int) - frames[0].astype(int)).mean()
    if extension == ".mkv":
        assert error == 0  # FFV1 is lossless.
    else:
        assert error < 12  # Lossy, but the same pictures.


def test_sampled_frames_are_the_right_frames(tmp_path):
    # Lossless file of frames whose value is their index.
    frames = np.repeat(np.arange(20, dtype=np.uint8)[:, None, None, None], 16, 1)
    frames = np.broadcast_to(frames[:, :, :1], (20, 16, 16, 3)).copy() * 10
    path = write_video(tmp_path / "ramp.mkv", frames)
    clip = read_video(path, num_frames=4)
    np.testing.assert_array_equal(clip[:, 0, 0, 0] // 10, [2, 7, 12, 17])
    clips = read_video(path, num_frames=3, sampling="multi_clip", num_clips=2, stride=2)
    np.testing.assert_array_equal(clips[..., 0, 0, 0] // 10, [[0, 2, 4], [15, 17, 19]])
    resized = read_video(path, num_frames=2, short_side=8)
    assert resized.shape == (2, 8, 8, 3)


def test_non_square_resize_keeps_aspect_ratio(tmp_path):
    path = write_video(tmp_path / "wide.mp4", np.zeros((3, 32, 64, 3), np.uint8))
    assert read_video(path, num_frames=1, short_side=16).shape == (1, 16, 32, 3)


@pytest.mark.parametrize(
    "kind, message",
    [
        ("truncated", "truncated"),
        ("truncated_mp4", "not a readable video container"),
        ("corrupt", "corrupt"),
        ("not_a_video", "not a readable video container"),
        ("empty_file", "not a readable video container"),
        ("zero_frames", "no frame"),
        ("audio_only", "no video stream"),
    ],
)
def test_bad_files_raise_an_error_naming_the_file(bad_videos, kind, message):
    with pytest.raises(VideoDecodeError, match=message) as info:
        read_video(bad_videos[kind], num_frames=4)
    assert info.value.path == bad_videos[kind]
    assert repr(bad_videos[kind]) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(VideoDecodeError, match="no such file"):
        read_video(tmp_path / "absent.mp4")


def test_memory_guards(bad_videos):
    with pytest.raises(VideoDecodeError, match="max_frames=10"):
        read_video(bad_videos["good"], max_frames=10)
    with pytest.raises(VideoDecodeError, match="max_pixels=100"):
        read_video(bad_videos["good"], max_pixels=100)
    # 30 frames of 32x32 RGB are 92,160 bytes decoded.
    with pytest.raises(VideoDecodeError, match="max_bytes=90000"):
        read_video(bad_videos["good"], max_bytes=90_000)
    assert read_video(bad_videos["good"], max_bytes=92_160).shape == (30, 32, 32, 3)
    # A sampled clip is bounded by what it keeps, not by the file's length.
    assert read_video(bad_videos["good"], num_frames=2, max_bytes=6_144).shape[0] == 2


def test_writer_rejects_bad_frames(tmp_path):
    with pytest.raises(ValueError, match=r"\[T, H, W, 3\]"):
        write_video(tmp_path / "a.mp4", np.zeros((2, 8, 8), np.uint8))
    with pytest.raises(ValueError, match="uint8"):
        write_video(tmp_path / "a.mp4", np.zeros((2, 8, 8, 3), np.float32))
    with pytest.raises(ValueError, match="even"):
        write_video(tmp_path / "a.mp4", np.zeros((2, 9, 8, 3), np.uint8))


def test_check_videos_finds_every_bad_file(bad_videos):
    paths = list(bad_videos.values())
    report = check_videos(paths, progress=False)
    bad = sorted(path for path, _ in report.failures)
    assert bad == sorted(p for k, p in bad_videos.items() if k != "good")
    with pytest.raises(VideoDecodeError, match="truncated"):
        check_videos([bad_videos["good"], bad_videos["truncated"]], on_error="raise")


def test_a_header_understating_the_frame_count_still_hits_max_frames(
    bad_videos, monkeypatch
):
    monkeypatch.setattr(video_reader, "_expected_frames", lambda *args: 5)
    with pytest.raises(VideoDecodeError, match="more frames than max_frames=10"):
        read_video(bad_videos["good"], max_frames=10)
    # And, decoding every frame, the bound on decoded bytes (5 announced
    # frames fit in 20,000 bytes; the 30 real ones do not).
    with pytest.raises(VideoDecodeError, match="understated"):
        read_video(bad_videos["good"], max_bytes=20_000)
