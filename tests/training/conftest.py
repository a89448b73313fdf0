import tensorflow as tf

# The MirroredStrategy test needs two devices; split the CPU in two before
# TensorFlow initialises its devices (that is only possible once, at start
# up). If another test module already started TensorFlow, the test runs
# itself in a fresh process instead (see mirrored_strategy_test.py).
try:
    tf.config.set_logical_device_configuration(
        tf.config.list_physical_devices("CPU")[0],
        [tf.config.LogicalDeviceConfiguration()] * 2,
    )
except RuntimeError:
    pass
