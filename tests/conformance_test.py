"""Every row of `tests/conformance.py` through every cross-cutting check."""

import os

import keras
import numpy as np
import pytest

from keras_grurcn.models import Task
from tests import conformance

CASES = sorted(conformance.CASES)
TENSORFLOW = keras.backend.backend() == "tensorflow"


def serve_task(reloaded, model, inputs):
    """A task's SavedModel answer: frames to `serving_default`, else percepts."""
    import tensorflow as tf

    if isinstance(inputs, dict) and set(inputs) == set(model.backbone_input_names):
        outputs = reloaded.signatures["serving_percepts"](
            **{name: tf.constant(value) for name, value in inputs.items()}
        )
    elif isinstance(inputs, dict):
        outputs = reloaded.signatures["serving_default"](
            **{name: tf.constant(value) for name, value in inputs.items()}
        )
    else:
        outputs = reloaded.signatures["serving_default"](frames=tf.constant(inputs))
    return outputs["probabilities"].numpy()


def predict(model, inputs):
    return keras.ops.convert_to_numpy(model(inputs, training=False))


def compile_case(model, case, **compile_kwargs):
    if case.loss is None:  # a task: its own loss and metrics
        model.compile(keras.optimizers.Adam(1e-3), **compile_kwargs)
    else:
        model.compile(keras.optimizers.Adam(1e-3), case.loss, **compile_kwargs)


def fit_one_step(model, case, **compile_kwargs):
    compile_case(model, case, **compile_kwargs)
    history = model.fit(
        case.inputs, case.targets, batch_size=conformance.BATCH, epochs=1, verbose=0
    )
    return history.history["loss"][0]


@pytest.mark.parametrize("name", CASES)
def test_keras_file_round_trip(name, tmp_path):
    case = conformance.CASES[name]()
    model = case.build()
    fit_one_step(model, case)
    path = os.path.join(tmp_path, f"{name}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(
        predict(loaded, case.inputs), predict(model, case.inputs)
    )


@pytest.mark.skipif(not TENSORFLOW, reason="SavedModel export needs TensorFlow")
@pytest.mark.parametrize("name", CASES)
def test_saved_model_reload(name, tmp_path):
    import tensorflow as tf

    from keras_grurcn.export import export_saved_model

    case = conformance.CASES[name]()
    model = case.build()
    path = os.path.join(tmp_path, name)
    if isinstance(model, Task):
        export_saved_model(model, path)
        reloaded = tf.saved_model.load(path)  # it owns the variables: keep it
        served = serve_task(reloaded, model, case.inputs)
    else:
        model.export(path, verbose=False)
        reloaded = tf.saved_model.load(path)
        served = reloaded.serve(case.inputs)
    np.testing.assert_allclose(
        served, predict(model, case.inputs), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("name", CASES)
def test_jit_compile(name):
    case = conformance.CASES[name]()
    model = case.build()
    compile_case(model, case, jit_compile=True)
    compiled = model.predict(case.inputs, batch_size=conformance.BATCH, verbose=0)
    np.testing.assert_allclose(
        compiled, predict(model, case.inputs), rtol=1e-4, atol=1e-5
    )
    assert np.isfinite(fit_one_step(model, case, jit_compile=True))


PRECISION_CASES = [
    (name, policy) for name in CASES for policy in ("mixed_float16", "mixed_bfloat16")
]


@pytest.mark.parametrize("name, policy", PRECISION_CASES)
def test_mixed_precision(name, policy):
    case = conformance.CASES[name]()
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        model = case.build()
        assert all(w.dtype == "float32" for w in model.weights)
        assert np.isfinite(fit_one_step(model, case))
        assert np.all(np.isfinite(predict(model, case.inputs)))
    finally:
        keras.config.set_dtype_policy(previous)


@pytest.mark.skipif(not TENSORFLOW, reason="tf.distribute needs TensorFlow")
@pytest.mark.parametrize("name", CASES)
def test_mirrored_strategy(name, mirrored_strategy):
    case = conformance.CASES[name]()
    with mirrored_strategy.scope():
        model = case.build()
        compile_case(model, case)
    history = model.fit(
        case.inputs, case.targets, batch_size=conformance.BATCH, epochs=1, verbose=0
    )
    assert np.isfinite(history.history["loss"][0])
    assert model.distribute_strategy is mirrored_strategy
