import keras

from keras_grurcn.models.model_arguments import INPUT_KINDS
from keras_grurcn.models.model_arguments import check_choice
from keras_grurcn.models.model_arguments import check_image_size
from keras_grurcn.models.model_arguments import check_positive_int
from keras_grurcn.models.model_arguments import resolve_levels
from keras_grurcn.models.percept_normalization import percept_normalization
from keras_grurcn.percepts.frame_percepts import FramePercepts
from keras_grurcn.percepts.percept_shapes import percept_shapes


def model_inputs(
    inputs="frames",
    *,
    backbone="vgg16",
    levels=None,
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    trainable_backbone=False,
    frames_name="frames",
    prefix="",
):
    """The inputs of a model and the percepts they give, frames or cached.

    The one place where models meet the backbone: with `inputs="frames"`
    the model takes RGB clips and computes percepts with `FramePercepts`
    (end to end); with `inputs="percepts"` it takes one input per level,
    named after the level, so batches `({level: [B, T, ...]}, label)` from
    a percept cache feed `model.fit` directly. Everything after the
    percepts is the same in both cases.

    Args:
        inputs: `"frames"` or `"percepts"`.
        backbone: a registered backbone name (`"vgg16"`, the paper's).
        levels: level names, or `None` for the backbone's defaults (VGG-16:
            pool2, pool3, pool4, pool5, fc7).
        backbone_weights: `"imagenet"`, `None` or a local weights file
            (frames only).
        num_frames: frames per clip, or `None` for variable-length clips.
        image_size: `(height, width)` of the frames (also fixes the
            percept shapes of cached inputs).
        trainable_backbone: whether the backbone is fine-tuned (frames
            only; frozen by default, as in the paper).
        frames_name: the name of the frames input (`"frames"`; `"rgb"` and
            `"flow"` in a two-stream model).
        prefix: prepended to the names of the percept inputs and of the
            percepts layer (`"flow_"` for the flow stream of a two-stream
            model).

    Returns:
        `(model_inputs, percepts)`: the `keras.Input` (frames) or a dict
        `{prefix + level: keras.Input}` (percepts), and a dict
        `{level: percepts}` of `(batch, time, rows, cols, channels)` or
        `(batch, time, units)` tensors, shallow to deep.

    Examples:

    ```python
    frames, percepts = keras_grurcn.models.model_inputs(
        levels=["pool2"], backbone_weights=None, num_frames=4,
        image_size=(32, 32),
    )
    percepts["pool2"].shape  # (None, 4, 8, 8, 128)
    ```
    """
    check_choice("inputs", inputs, INPUT_KINDS)
    shapes = percept_shapes(backbone, levels, image_size)
    if inputs == "percepts":
        cached = {
            level: keras.Input((num_frames, *shape), name=f"{prefix}{level}")
            for level, shape in shapes.items()
        }
        return {f"{prefix}{level}": tensor for level, tensor in cached.items()}, cached

    frames = keras.Input((num_frames, *image_size, 3), name=frames_name)
    percepts = FramePercepts(
        backbone=backbone,
        levels=list(shapes),
        backbone_weights=backbone_weights,
        image_size=image_size,
        trainable=trainable_backbone,
        name=f"{prefix}{backbone}_percepts",
    )(frames)
    return frames, {level: percepts[level] for level in shapes}


def single_level_inputs(
    inputs="frames",
    *,
    backbone="vgg16",
    level="fc7",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    trainable_backbone=False,
    normalization=None,
):
    """`model_inputs` for a baseline that reads one percept level.

    Checks `num_frames` and `image_size`, resolves `level` against the
    backbone, builds the inputs and applies the percept normalisation, the
    preamble the single-level baselines (`frame_average`, `frame_rnn`)
    share.

    Args:
        inputs, backbone, backbone_weights, num_frames, image_size,
        trainable_backbone: as in `model_inputs`.
        level: the percept level read.
        normalization: the `percept_normalization` kind: `None` (off),
            `"layer"`, `"instance"` or `"batch"`.

    Returns:
        `(model_inputs, level, percepts)`: the inputs as `model_inputs`
        returns them, the resolved level name, and its (normalised)
        percepts, `(batch, time, rows, cols, channels)` or
        `(batch, time, units)`.

    Examples:

    ```python
    frames, level, percepts = keras_grurcn.models.single_level_inputs(
        level="pool2", backbone_weights=None, num_frames=4, image_size=32,
    )
    level, percepts.shape  # ("pool2", (None, 4, 8, 8, 128))
    ```
    """
    image_size = check_image_size(image_size)
    num_frames = check_positive_int("num_frames", num_frames, allow_none=True)
    (level,) = resolve_levels(backbone, [level])
    inputs, percepts = model_inputs(
        inputs,
        backbone=backbone,
        levels=[level],
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        trainable_backbone=trainable_backbone,
    )
    return inputs, level, percept_normalization(percepts, normalization)[level]
