import os

# Quiet TensorFlow's C++ start-up logging in test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The NumPy reference comparisons run in float64; JAX needs opting in.
os.environ.setdefault("JAX_ENABLE_X64", "1")
