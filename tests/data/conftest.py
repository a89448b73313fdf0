"""Tiny generated video trees shared by the data tests (written once per session)."""

import numpy as np
import pytest

from keras_grurcn.data import synthetic, write_video


@pytest.fixture(scope="session")
def folder_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("folder")
    entries = synthetic.write_motion_videos(root, 8, num_frames=8, image_size=32)
    return root, entries


@pytest.fixture(scope="session")
def ucf_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("ucf")
    entries = synthetic.write_motion_videos(
        root, 16, num_frames=6, image_size=32, layout="ucf101"
    )
    return root, entries


@pytest.fixture(scope="session")
def msvd_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("msvd")
    entries = synthetic.write_motion_videos(
        root, 12, num_frames=6, image_size=32, layout="msvd", captions_per_clip=2
    )
    return root, entries


@pytest.fixture(scope="session")
def bad_videos(tmp_path_factory):
    """One file per failure mode, keyed by what is wrong with it."""
    import av

    root = tmp_path_factory.mktemp("bad")
    frames = np.random.default_rng(0).integers(0, 255, (30, 32, 32, 3), np.uint8)
    good = write_video(root / "good.avi", frames)
    data = open(good, "rb").read()
    paths = {"good": good}
    paths["truncated"] = root / "truncated.avi"
    paths["truncated"].write_bytes(data[: len(data) // 2])
    paths["truncated_mp4"] = root / "truncated.mp4"
    mp4 = open(write_video(root / "good.mp4", frames), "rb").read()
    paths["truncated_mp4"].write_bytes(mp4[: len(mp4) // 2])
    corrupt = bytearray(data)
    corrupt[len(data) // 2 : len(data) // 2 + 2000] = bytes(2000)
    paths["corrupt"] = root / "corrupt.avi"
    paths["corrupt"].write_bytes(bytes(corrupt))
    paths["not_a_video"] = root / "notes.mp4"
    paths["not_a_video"].write_text("not a video\n" * 20)
    paths["empty_file"] = root / "empty.avi"
    paths["empty_file"].write_bytes(b"")
    paths["zero_frames"] = root / "zero.mkv"
    # A video stream without a single frame (beside some audio, else FFmpeg
    # writes no file at all).
    with av.open(str(paths["zero_frames"]), "w") as container:
        video = container.add_stream("ffv1", rate=25)
        video.width, video.height, video.pix_fmt = 32, 32, "bgr0"
        audio = container.add_stream("pcm_s16le", rate=8000)
        sound = av.AudioFrame.from_ndarray(
            np.zeros((1, 800), np.int16), format="s16", layout="mono"
        )
        sound.sample_rate = 8000
        container.mux(audio.encode(sound))
        container.mux(audio.encode())
        container.mux(video.encode())
    paths["audio_only"] = root / "audio_only.mkv"
    with av.open(str(paths["audio_only"]), "w") as container:
        audio = container.add_stream("pcm_s16le", rate=8000)
        container.mux(audio.encode(sound))
        container.mux(audio.encode())
    return {k: str(v) for k, v in paths.items()}
