"""The model zoo: `list_models()` names the models, `build_model()` builds one.

Each entry maps a name to its builder, given as `"module:function"` and
imported only when that model is built; a builder returns a task
(`VideoClassifier`, `VideoCaptioner`, ...). A new model is one builder
function plus one `register_model` call (or one entry below).
"""

import dataclasses
import importlib
import inspect

# Arguments `build_model` takes itself; the rest are a builder's overrides.
COMMON_ARGUMENTS = (
    "num_classes",
    "class_names",
    "vocabulary",
    "preprocessor",
    "backbone",
    "backbone_weights",
    "num_frames",
    "image_size",
)
_DEFAULT_BACKBONE = "vgg16"
_DEFAULT_BACKBONE_WEIGHTS = "imagenet"
_DEFAULT_NUM_FRAMES = 10
_DEFAULT_IMAGE_SIZE = (224, 224)


@dataclasses.dataclass(frozen=True)
class ModelEntry:
    """One model of the zoo.

    Args:
        builder: `"package.module:function"`, the builder's import path.
        task: `"classification"` or `"captioning"`.
        description: one line for `describe_models()`.
    """

    builder: str
    task: str = "classification"
    description: str = ""

    def load_builder(self, name):
        module_name, function_name = self.builder.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            # Only a missing builder module means "not written yet"; a
            # missing dependency inside it is the user's to see.
            if error.name is None or not module_name.startswith(error.name):
                raise
            raise _missing_builder(name, self.builder) from None
        if not hasattr(module, function_name):
            raise _missing_builder(name, self.builder)
        return getattr(module, function_name)


_MODELS = {
    "grurcn": ModelEntry(
        "keras_grurcn.models.grurcn:build_grurcn",
        description="GRU-RCN, an independent ConvGRU per percept level (paper).",
    ),
    "grurcn_stacked": ModelEntry(
        "keras_grurcn.models.grurcn_stacked:build_grurcn_stacked",
        description="Stacked GRU-RCN, bottom-up connections between levels.",
    ),
    "grurcn_bidirectional": ModelEntry(
        "keras_grurcn.models.grurcn_bidirectional:build_grurcn_bidirectional",
        description="Bi-directional GRU-RCN, the paper's best RGB model.",
    ),
    "frame_average": ModelEntry(
        "keras_grurcn.models.frame_average:build_frame_average",
        description="VGG-16 baseline: per-frame fc7 classifier, averaged.",
    ),
    "frame_rnn": ModelEntry(
        "keras_grurcn.models.frame_rnn:build_frame_rnn",
        description="VGG-16 RNN baseline: a GRU (or LSTM, LRCN) over fc7.",
    ),
    "c3d": ModelEntry(
        "keras_grurcn.models.c3d:build_c3d",
        description="C3D-style 3D convolutions over pixels (local motion).",
    ),
    "two_stream": ModelEntry(
        "keras_grurcn.models.two_stream:build_two_stream",
        description="RGB + optical-flow GRU-RCNs, weighted average of scores.",
    ),
    "grurcn_captioner": ModelEntry(
        "keras_grurcn.captioning.grurcn_captioner:build_grurcn_captioner",
        task="captioning",
        description="GRU-RCN encoder + soft-attention LSTM caption decoder.",
    ),
}


def register_model(name, builder, *, task="classification", description=""):
    """Adds (or replaces) a model of the zoo.

    Args:
        name: the name `build_model` will take.
        builder: `"module:function"`. The function takes keyword arguments
            only, among them those of `build_model` it uses (`num_classes`
            or `vocabulary`, `backbone`, `backbone_weights`, `num_frames`,
            `image_size`); its other arguments are the model's overrides.
        task: `"classification"` or `"captioning"`.
        description: one line describing the model.
    """
    if not isinstance(builder, str) or builder.count(":") != 1:
        raise ValueError(
            f"register_model: `builder` must be 'module:function', got {builder!r}."
        )
    _MODELS[name] = ModelEntry(builder, task=task, description=description)


def list_models():
    """Returns the names of the models `build_model` knows.

    Examples:

    ```python
    keras_grurcn.list_models()  # ('grurcn', 'grurcn_stacked', ...)
    ```
    """
    return tuple(_MODELS)


def describe_models():
    """Returns `{name: description}` for every model.

    Examples:

    ```python
    keras_grurcn.models.describe_models()["grurcn"]
    # 'GRU-RCN, an independent ConvGRU per percept level (paper).'
    ```
    """
    return {name: entry.description for name, entry in _MODELS.items()}


def model_task(name):
    """`"classification"` or `"captioning"`: what model `name` does.

    Examples:

    ```python
    keras_grurcn.models.model_task("grurcn_captioner")  # 'captioning'
    ```
    """
    return _entry(name).task


def model_arguments(name):
    """`{argument: default}` of what `build_model(name, ...)` takes.

    The arguments every model shares that apply to this one
    (`num_classes`, `backbone`, ...), then the model's own overrides
    (`levels`, `hidden_maps`, `dropout`, ...), with their defaults
    (`inspect.Parameter.empty` for a required one). Experiment configs
    check their `model` section against it.

    Examples:

    ```python
    keras_grurcn.models.model_arguments("frame_rnn")["units"]  # 512
    ```
    """
    builder = _entry(name).load_builder(name)
    return {
        parameter.name: parameter.default
        for parameter in inspect.signature(builder).parameters.values()
        if parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    }


def build_model(
    name,
    *,
    num_classes=None,
    class_names=None,
    vocabulary=None,
    preprocessor=None,
    backbone=_DEFAULT_BACKBONE,
    backbone_weights=_DEFAULT_BACKBONE_WEIGHTS,
    num_frames=_DEFAULT_NUM_FRAMES,
    image_size=_DEFAULT_IMAGE_SIZE,
    **overrides,
):
    """Builds a model of the zoo by name.

    The zoo's front door. The defaults are the paper's (Ballas et al.,
    2016): VGG-16 with ImageNet weights, 224x224 frames, 10-frame clips;
    each model's hyper-parameters (levels pool2..fc7, 64/128/256/256/512
    hidden maps, 3x3 kernels, dropout 0.7 for GRU-RCN) can be overridden by
    name. See each builder's docstring (`keras_grurcn.models.build_grurcn`,
    ...) for its overrides and parameter count.

    Args:
        name: one of `list_models()`.
        num_classes: the number of classes, for classification models;
            follows from `class_names`.
        class_names: the class names in label order, for classification
            models (saved with the model; `model.class_names`).
        vocabulary: the caption vocabulary, for captioning models.
        preprocessor: a preprocessor to build the model around instead of
            a new one (e.g. a percept cache's, with the CNN weights that
            made its percepts); it then defines the backbone, weights,
            frames and image size, which must be left at their defaults.
        backbone: the percept backbone (see
            `keras_grurcn.percepts.list_backbones()`).
        backbone_weights: `"imagenet"`, `None` (random) or a local weights
            file.
        num_frames: frames per clip, or `None` for variable-length clips.
        image_size: int or `(height, width)` of the frames.
        **overrides: the model's own arguments, e.g. `levels=[...]`,
            `hidden_maps=...`, `dropout=...`.

    Returns:
        A task: a `keras_grurcn.VideoClassifier` (uint8 frames or cached
        percepts in, class probabilities `(batch, num_classes)` out) or a
        `keras_grurcn.VideoCaptioner`; `compile()` sets its loss and
        metrics.

    Raises:
        ValueError: for an unknown model name or override, or a bad
            argument; the message lists the valid choices.
        NotImplementedError: for a model registered (`register_model`)
            with a builder path that does not exist.

    Examples:

    ```python
    model = keras_grurcn.build_model(
        "grurcn", class_names=["left", "right", "up", "down"],
        backbone_weights=None, num_frames=4, image_size=32,
        levels=["pool2", "pool3"], hidden_maps=[4, 8],
    )
    model.compile()
    model.class_names  # ['left', 'right', 'up', 'down']
    ```
    """
    builder = _entry(name).load_builder(name)
    accepted = list(model_arguments(name))
    valid_overrides = [
        argument for argument in accepted if argument not in COMMON_ARGUMENTS
    ]
    unknown = sorted(set(overrides) - set(valid_overrides))
    if unknown:
        raise ValueError(
            f"Unknown argument(s) {', '.join(map(repr, unknown))} for model "
            f"{name!r}. Valid overrides: {', '.join(valid_overrides)}."
        )
    if preprocessor is not None:
        given = {
            "backbone": backbone != _DEFAULT_BACKBONE,
            "backbone_weights": backbone_weights != _DEFAULT_BACKBONE_WEIGHTS,
            "num_frames": num_frames != _DEFAULT_NUM_FRAMES,
            "image_size": image_size not in (_DEFAULT_IMAGE_SIZE, 224),
        }
        conflicting = [argument for argument, set_ in given.items() if set_]
        if conflicting:
            raise ValueError(
                f"build_model: {', '.join(conflicting)} come from the given "
                "`preprocessor`; leave them out."
            )
    common = {
        "num_classes": (num_classes, None),
        "class_names": (class_names, None),
        "preprocessor": (preprocessor, None),
        "vocabulary": (vocabulary, None),
        "backbone": (backbone, _DEFAULT_BACKBONE),
        "backbone_weights": (backbone_weights, _DEFAULT_BACKBONE_WEIGHTS),
        "num_frames": (num_frames, _DEFAULT_NUM_FRAMES),
        "image_size": (image_size, _DEFAULT_IMAGE_SIZE),
    }
    arguments = dict(overrides)
    for argument, (value, default) in common.items():
        if argument in accepted:
            arguments[argument] = value
        elif value is not None and value != default:
            # e.g. backbone="resnet50" for c3d, which has no backbone; the
            # defaults and None (no pretrained weights) say nothing.
            raise ValueError(
                f"Model {name!r} does not take `{argument}` "
                f"({_MODELS[name].task} model; it takes "
                f"{', '.join(a for a in accepted if a in COMMON_ARGUMENTS)})."
            )
    return builder(**arguments)


def build_preset(preset, **overrides):
    """Builds the model of a built-in preset: the paper's settings, untrained.

    A preset is an experiment config (`keras_grurcn.training.
    ExperimentConfig`): its `model` section names the model and its
    arguments, its `preprocessor` section the CNN, frames and image size.

    Args:
        preset: a name of `keras_grurcn.presets.list_presets()`.
        **overrides: `build_model` arguments replacing the preset's (e.g.
            `backbone_weights=None` to skip the ImageNet download,
            `class_names=[...]` for your classes).

    Examples:

    ```python
    model = keras_grurcn.models.build_preset(
        "ucf101_grurcn", backbone_weights=None, image_size=32, num_frames=4,
        levels=["pool2"], hidden_maps=4,
    )
    model.num_classes  # 101
    ```
    """
    from keras_grurcn.presets import get_preset

    spec = get_preset(preset)
    model = spec["model"]
    arguments = {
        **spec["preprocessor"],
        **{key: value for key, value in model.items() if key != "name"},
        **overrides,
    }
    if "class_names" in overrides and "num_classes" not in overrides:
        arguments.pop("num_classes", None)
    return build_model(model["name"], **arguments)


def _entry(name):
    if name not in _MODELS:
        raise ValueError(f"Unknown model {name!r}. Valid models: {', '.join(_MODELS)}.")
    return _MODELS[name]


def _missing_builder(name, builder):
    return NotImplementedError(
        f"Model {name!r} is registered but its builder `{builder}` does not "
        "exist: check the `register_model` call that added it."
    )
