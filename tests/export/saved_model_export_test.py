import os
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_grurcn
from keras_grurcn.export import export_saved_model
from tests.export.conftest import CLASS_NAMES
from tests.export.without_package import run_without_package

SERVING_SCRIPT = """
import numpy as np
import tensorflow as tf

export_dir, frames_path, output_path = sys.argv[1:]
served = tf.saved_model.load(export_dir)
outputs = served.signatures["serving_default"](
    frames=tf.constant(np.load(frames_path))
)
np.savez(
    output_path,
    probabilities=outputs["probabilities"].numpy(),
    labels=outputs["labels"].numpy().astype(str),
)
"""


def random_frames(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape).astype("uint8")


def predict(classifier, frames):
    return classifier.predict(frames, verbose=0)


def test_lazy_exports_from_the_package():
    assert keras_grurcn.export_saved_model is export_saved_model
    with pytest.raises(AttributeError, match="no attribute 'export_model'"):
        keras_grurcn.export_model  # noqa: B018


def test_import_keras_grurcn_stays_tensorflow_free():
    code = (
        "import sys, keras_grurcn; "
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "KERAS_BACKEND": "jax"},
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_signature_takes_uint8_frames_of_any_size(export_dir, classifier):
    served = tf.saved_model.load(export_dir)
    signature = served.signatures["serving_default"]
    (frames_spec,) = signature.structured_input_signature[1].values()
    assert frames_spec.dtype == tf.uint8
    assert frames_spec.shape.as_list() == [None, None, None, None, 3]
    assert set(signature.structured_outputs) == {"probabilities", "labels"}

    # Any length and size: longer, shorter and exactly the model's clip.
    for shape in [(2, 9, 45, 60, 3), (1, 2, 20, 24, 3), (3, 4, 32, 32, 3)]:
        frames = random_frames(shape)
        outputs = signature(frames=tf.constant(frames))
        probabilities = outputs["probabilities"].numpy()
        assert probabilities.shape == (shape[0], 3)
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
        np.testing.assert_allclose(
            probabilities,
            predict(classifier, frames),
            rtol=1e-5,
            atol=1e-6,
        )
        best_first = np.argsort(-probabilities, axis=1)
        expected = np.asarray(CLASS_NAMES)[best_first]
        assert (outputs["labels"].numpy().astype(str) == expected).all()


def test_fresh_process_without_keras_grurcn_serves_the_same_predictions(
    export_dir, classifier, tmp_path
):
    frames = random_frames((2, 7, 40, 50, 3), seed=1)
    np.save(tmp_path / "frames.npy", frames)
    run_without_package(
        SERVING_SCRIPT,
        export_dir,
        tmp_path / "frames.npy",
        tmp_path / "served.npz",
        cwd=tmp_path,
        timeout=180,
    )
    served = np.load(tmp_path / "served.npz")
    in_process = predict(classifier, frames)
    np.testing.assert_allclose(
        served["probabilities"], in_process, rtol=1e-5, atol=1e-6
    )
    assert served["labels"][0][0] == CLASS_NAMES[int(np.argmax(in_process[0]))]


def test_saved_model_cli_lists_the_signature(export_dir):
    cli = shutil.which("saved_model_cli")
    command = (
        [cli]
        if cli
        else [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli"]
    )
    result = subprocess.run(
        [*command, "show", "--dir", export_dir, "--all"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    listing = result.stdout
    serving = listing[listing.index("signature_def['serving_default']") :]
    assert "inputs['frames'] tensor_info:" in serving
    assert "dtype: DT_UINT8" in serving
    assert "shape: (-1, -1, -1, -1, 3)" in serving
    assert "outputs['probabilities'] tensor_info:" in serving
    assert "outputs['labels'] tensor_info:" in serving
    assert "dtype: DT_STRING" in serving
    assert "Method name is: tensorflow/serving/predict" in serving


def test_an_existing_version_is_never_overwritten_by_accident(export_dir, classifier):
    before = sorted(os.listdir(export_dir))
    with pytest.raises(FileExistsError, match="already exists"):
        export_saved_model(classifier, export_dir)
    assert sorted(os.listdir(export_dir)) == before


def test_a_failed_export_leaves_nothing_behind(classifier, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("write failed")

    monkeypatch.setattr(tf.saved_model, "save", fail)
    with pytest.raises(RuntimeError, match="write failed"):
        export_saved_model(classifier, tmp_path / "grurcn" / "2")
    assert os.listdir(tmp_path / "grurcn") == []


def test_failure_while_writing_keeps_the_old_version_and_no_temporary(
    classifier, tmp_path, monkeypatch
):
    version = tmp_path / "grurcn" / "1"
    export_saved_model(classifier, version)
    assert oct(os.stat(version).st_mode & 0o777) == "0o755"

    def write_half_then_fail(obj, export_dir, *args, **kwargs):
        with open(os.path.join(export_dir, "saved_model.pb"), "wb") as file:
            file.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(tf.saved_model, "save", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        export_saved_model(classifier, version, overwrite=True)
    assert os.listdir(tmp_path / "grurcn") == ["1"]
    assert tf.saved_model.load(str(version)).signatures["serving_default"] is not None


def test_overwrite_swaps_in_the_new_export(classifier, tmp_path):
    version = tmp_path / "grurcn" / "1"
    export_saved_model(classifier, version)
    renamed = keras_grurcn.VideoClassifier.from_config(
        {**classifier.get_config(), "class_names": ["a", "b", "c"]}
    )
    export_saved_model(renamed, version, overwrite=True)
    assert os.listdir(tmp_path / "grurcn") == ["1"]
    outputs = tf.saved_model.load(str(version)).signatures["serving_default"](
        frames=tf.zeros((1, 4, 32, 32, 3), tf.uint8)
    )
    assert set(outputs["labels"].numpy().astype(str)[0]) == {"a", "b", "c"}


def test_labels_are_the_task_class_names_without_being_told(export_dir):
    outputs = tf.saved_model.load(export_dir).signatures["serving_default"](
        frames=tf.constant(random_frames((1, 6, 40, 40, 3)))
    )
    assert sorted(outputs["labels"].numpy().astype(str)[0]) == sorted(CLASS_NAMES)


def test_percepts_signature_serves_cached_percepts(export_dir, classifier):
    signature = tf.saved_model.load(export_dir).signatures["serving_percepts"]
    percepts = {
        name: keras.ops.convert_to_numpy(value)
        for name, value in classifier.preprocessor(
            random_frames((2, 4, 32, 32, 3))
        ).items()
    }
    outputs = signature(
        **{name: tf.constant(value) for name, value in percepts.items()}
    )
    np.testing.assert_allclose(
        outputs["probabilities"].numpy(),
        predict(classifier, percepts),
        rtol=1e-5,
        atol=1e-6,
    )


def test_what_cannot_take_frames_is_refused(classifier, tmp_path):
    vectors = keras.Input((10, 4))
    model = keras.Model(vectors, keras.layers.Dense(3)(vectors))
    with pytest.raises(ValueError, match="exports keras_grurcn tasks"):
        export_saved_model(model, tmp_path / "1")
    percepts_only = keras_grurcn.VideoClassifier(
        classifier.backbone, num_classes=3, name="percepts_only"
    )
    with pytest.raises(ValueError, match="has no preprocessor"):
        export_saved_model(percepts_only, tmp_path / "1")
    assert not os.path.exists(tmp_path / "1")


def test_frames_of_the_wrong_rank_are_a_clear_error(classifier):
    with pytest.raises(ValueError, match=r"\(batch, time, height, width, 3\)"):
        classifier(np.zeros((4, 32, 32, 3), "uint8"))
