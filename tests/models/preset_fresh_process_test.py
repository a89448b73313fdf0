"""A task trained with `fit` and saved to a preset predicts the same in a new process."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np

import keras_grurcn

RELOAD = textwrap.dedent(
    """
    import sys

    import numpy as np

    import keras_grurcn

    preset, frames_path, output_path = sys.argv[1:]
    task = keras_grurcn.models.Task.from_preset(preset)
    probabilities = task.predict(np.load(frames_path), verbose=0)
    np.savez(output_path, probabilities=probabilities, class_names=task.class_names)
    """
)


def test_fit_save_to_preset_and_from_preset_in_a_fresh_process(tmp_path):
    keras.utils.set_random_seed(0)
    task = keras_grurcn.build_model(
        "grurcn_bidirectional",
        class_names=["left", "right", "up", "down"],
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool1", "pool2"],
        hidden_maps=[2, 3],
    )
    task.compile(keras.optimizers.Adam(1e-2))
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (8, 6, 40, 40, 3), "uint8")
    task.fit(frames, np.arange(8) % 4, epochs=2, batch_size=4, verbose=0)
    task.save_to_preset(tmp_path / "preset")
    np.save(tmp_path / "frames.npy", frames)

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            RELOAD,
            str(tmp_path / "preset"),
            str(tmp_path / "frames.npy"),
            str(tmp_path / "reloaded.npz"),
        ],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    reloaded = np.load(tmp_path / "reloaded.npz")
    np.testing.assert_allclose(
        reloaded["probabilities"], task.predict(frames, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert reloaded["class_names"].tolist() == task.class_names
