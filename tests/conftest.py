import os

import pytest

# Quiet TensorFlow's C++ start-up logging in test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The NumPy reference comparisons run in float64; JAX needs opting in.
os.environ.setdefault("JAX_ENABLE_X64", "1")


def pytest_configure(config):
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        return
    import tensorflow as tf

    # Two logical CPU devices, so MirroredStrategy tests have two replicas.
    # Must happen before TensorFlow initialises its devices.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )


def mirrored_strategy_fixture():
    import tensorflow as tf

    devices = tf.config.list_logical_devices("CPU")
    assert len(devices) >= 2, "pytest_configure splits the CPU in two"
    # One strategy per test process: separate MirroredStrategy objects in
    # one process reuse collective instance keys and abort each other.
    return tf.distribute.MirroredStrategy([d.name for d in devices[:2]])


mirrored_strategy = pytest.fixture(scope="session")(mirrored_strategy_fixture)
