"""keras_grurcn: GRU-RCN video models (Ballas et al., ICLR 2016) for Keras 3.

Layers, preprocessors, backbones and tasks use `keras.ops` only and run on
any Keras backend; the data, training and export subpackages use TensorFlow
and are imported on demand (`import keras_grurcn.data`).

The package itself imports nothing heavy: each public name is imported the
first time it is used (PEP 562), so the `grurcn` command parses its
arguments and prints `--help` without starting Keras or TensorFlow. The
first use of any of them imports every part that registers Keras classes,
as a plain `import keras_grurcn` did before, so `keras.saving.load_model`
finds the package's classes afterwards.
"""

from keras_grurcn.presets import list_presets
from keras_grurcn.version import __version__

__all__ = [
    "ConvGRU1D",
    "ConvGRU2D",
    "ConvGRU3D",
    "GRURCNBackbone",
    "VideoCaptioner",
    "VideoClassifier",
    "VideoPreprocessor",
    "__version__",
    "build_model",
    "captioning",
    "export_saved_model",
    "layers",
    "list_models",
    "list_presets",
    "metrics",
    "models",
    "percepts",
    "preprocessing",
    "saving",
]

# Public name -> the module that defines it (a subpackage names itself).
_LAZY_EXPORTS = {
    "ConvGRU1D": "keras_grurcn.layers",
    "ConvGRU2D": "keras_grurcn.layers",
    "ConvGRU3D": "keras_grurcn.layers",
    "GRURCNBackbone": "keras_grurcn.models",
    "VideoCaptioner": "keras_grurcn.captioning",
    "VideoClassifier": "keras_grurcn.models",
    "VideoPreprocessor": "keras_grurcn.preprocessing",
    "build_model": "keras_grurcn.models",
    "list_models": "keras_grurcn.models",
    # TensorFlow-only: `import keras_grurcn` stays TensorFlow-free (JAX).
    "export_saved_model": "keras_grurcn.export",
    "captioning": "keras_grurcn.captioning",
    "layers": "keras_grurcn.layers",
    "metrics": "keras_grurcn.metrics",
    "models": "keras_grurcn.models",
    "percepts": "keras_grurcn.percepts",
    "preprocessing": "keras_grurcn.preprocessing",
    "saving": "keras_grurcn.saving",
}


def __getattr__(name):
    if name not in _LAZY_EXPORTS:
        raise AttributeError(f"module 'keras_grurcn' has no attribute {name!r}")
    import importlib

    from keras_grurcn.saving.package_classes import register_package_classes

    register_package_classes()
    module = importlib.import_module(_LAZY_EXPORTS[name])
    value = module if module.__name__ == f"{__name__}.{name}" else getattr(module, name)
    globals()[name] = value  # Looked up once.
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
