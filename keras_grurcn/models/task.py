import os

import keras

from keras_grurcn.models.backbone import Backbone
from keras_grurcn.preprocessing.preprocessor import Preprocessor
from keras_grurcn.preprocessing.video_preprocessor import FRAMES
from keras_grurcn.saving import preset_io
from keras_grurcn.saving.nested_parts import deserialize_parts
from keras_grurcn.saving.nested_parts import serialize_parts

# The parts a task is made of, saved in their own preset files.
PARTS = ("backbone", "preprocessor")


@keras.saving.register_keras_serializable(package="keras_grurcn")
class Task(keras.Model):
    """Base class of the tasks: preprocessor + backbone + head, ready to `fit`.

    A task wraps a `Backbone` (cached percepts -> features), a head (the
    subclass's: features -> class probabilities, or next-word logits) and,
    optionally, a `Preprocessor` (raw frames -> percepts). It takes:

    - the backbone's inputs, a dict `{level: percepts}` keyed by level
      names, always: how tasks train cheaply on a percept cache;
    - raw uint8 video frames whenever it holds a preprocessor: the same
      weights then serve end to end (`predict`, the SavedModel), with no
      rebuilding and no weight copying.

    The preprocessor runs inside the model (on the accelerator, in the
    training step when frames are fed) rather than in `tf.data` as in
    keras-hub, because it holds a CNN. Its weights are saved with the
    task, frozen unless it was built `trainable`.

    Presets follow keras-hub's contract and layout: `Task.from_preset` and
    `task.save_to_preset` (`task.json`, `task.weights.h5`, the backbone's
    `config.json` and `model.weights.h5`, the preprocessor's
    `preprocessor.json` and `preprocessor.weights.h5`, `metadata.json`).

    Examples:

    ```python
    classifier = keras_grurcn.build_model(
        "grurcn", class_names=["left", "right"], backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool2"], hidden_maps=4,
    )
    classifier.save_to_preset("/tmp/grurcn_preset")
    restored = keras_grurcn.models.Task.from_preset("/tmp/grurcn_preset")
    restored.class_names  # ['left', 'right']
    ```
    """

    def __init__(self, backbone, preprocessor=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(backbone, Backbone):
            raise ValueError(
                f"{type(self).__name__}: `backbone` must be a keras_grurcn "
                f"Backbone, got {type(backbone).__name__}."
            )
        if preprocessor is not None and not isinstance(preprocessor, Preprocessor):
            raise ValueError(
                f"{type(self).__name__}: `preprocessor` must be a keras_grurcn "
                f"Preprocessor or None, got {type(preprocessor).__name__}."
            )
        if preprocessor is not None:
            check_preprocessor_feeds_backbone(preprocessor, backbone)
        self.preprocessor = preprocessor
        self.backbone = backbone

    @property
    def backbone_input_names(self):
        """The names of the backbone's inputs (the percept levels)."""
        return list(self.backbone.input)

    def backbone_inputs(self, inputs, training=None):
        """The backbone's inputs from what the task was given.

        A dict holding every backbone input name is taken as percepts;
        anything else (frames, or `{"frames": frames}`) goes through the
        preprocessor.
        """
        names = self.backbone_input_names
        if isinstance(inputs, dict) and all(name in inputs for name in names):
            return {name: inputs[name] for name in names}
        if isinstance(inputs, dict) and list(inputs) == [FRAMES]:
            inputs = inputs[FRAMES]
        if self.preprocessor is None:
            given = list(inputs) if isinstance(inputs, dict) else type(inputs).__name__
            raise ValueError(
                f"{type(self).__name__} {self.name!r} has no preprocessor, so it "
                f"takes cached percepts: a dict with the keys {names}; got "
                f"{given}. Build it with a preprocessor to feed video frames."
            )
        # A preprocessor may compute more levels than the backbone reads
        # (a cache's, shared by several models).
        outputs = self.preprocessor(inputs, training=training)
        return {name: outputs[name] for name in names}

    def compile(self, optimizer="auto", loss="auto", *, metrics="auto", **kwargs):
        """`keras.Model.compile`, with the task's defaults for `"auto"`.

        `"auto"` is Adam at 1e-4 for the optimizer, and the task's loss
        and metrics (`default_loss()`, `default_metrics()`); other
        arguments go to `keras.Model.compile` (`jit_compile`, ...).
        """
        if optimizer == "auto":
            optimizer = keras.optimizers.Adam(1e-4)
        if loss == "auto":
            loss = self.default_loss()
        if metrics == "auto":
            metrics = self.default_metrics()
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics, **kwargs)

    def default_loss(self):
        raise NotImplementedError(f"{type(self).__name__} must define `default_loss`.")

    def default_metrics(self):
        return []

    def compile_from_config(self, config):
        # Keras skips an overridden `compile` when it loads a model; this one
        # only fills in defaults, so the saved arguments go through it.
        config = keras.saving.deserialize_keras_object(config)
        self.compile(**config)
        if self.built:
            self.optimizer.build(self.trainable_variables)

    def get_config(self):
        # Not chained to `keras.Model`: tasks are rebuilt from their parts.
        return {**serialize_parts(self, PARTS), "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_parts(config, PARTS))

    @classmethod
    def from_preset(cls, preset, load_weights=True, **kwargs):
        """Builds a task from a preset folder or a built-in preset.

        Args:
            preset: a folder written by `save_to_preset`, or a built-in
                preset name (`keras_grurcn.presets.list_presets()`: the
                paper's architectures with their settings, untrained; the
                CNN's ImageNet weights are downloaded unless
                `backbone_weights=None` or a local file is given).
            load_weights: load the folder's weights (all three files).
            **kwargs: for a folder, task arguments overriding the saved ones
                (new `class_names` or `num_classes` start a fresh head); for
                a built-in preset, `build_model` arguments.

        Returns:
            A task of the class the preset names.
        """
        if not preset_io.is_preset_dir(preset):
            from keras_grurcn.models.model_registry import build_preset

            task = build_preset(preset, **kwargs)
            if not isinstance(task, cls):
                raise ValueError(
                    f"Preset {preset!r} builds a {type(task).__name__}, not a "
                    f"{cls.__name__}."
                )
            return task
        preset_io.check_metadata(preset)
        backbone = Backbone.from_preset(preset, load_weights=load_weights)
        preprocessor = None
        if _has_file(preset, preset_io.PREPROCESSOR_CONFIG_FILE):
            preprocessor = Preprocessor.from_preset(preset, load_weights=load_weights)
        task_class = preset_io.serialized_class(preset, preset_io.TASK_CONFIG_FILE, cls)
        task = preset_io.load_serialized(
            preset,
            preset_io.TASK_CONFIG_FILE,
            cls,
            overrides={
                "backbone": backbone,
                "preprocessor": preprocessor,
                **task_class.head_overrides(kwargs),
            },
        )
        new_head = any(key in kwargs for key in task.head_arguments)
        if (
            load_weights
            and not new_head
            and _has_file(preset, preset_io.TASK_WEIGHTS_FILE)
        ):
            preset_io.load_weights(
                task,
                preset,
                preset_io.TASK_WEIGHTS_FILE,
                objects_to_skip=task.parts(),
            )
        return task

    # Constructor arguments that change the head's shape: given to
    # `from_preset`, they start a fresh head instead of loading its weights.
    head_arguments = ()

    @classmethod
    def head_overrides(cls, kwargs):
        """`from_preset`'s overrides, completed so they replace the saved head."""
        return dict(kwargs)

    def parts(self):
        """The backbone and preprocessor, saved in their own preset files."""
        return [part for part in (self.backbone, self.preprocessor) if part is not None]

    def save_to_preset(self, preset_dir):
        """Writes the task, its backbone and its preprocessor to `preset_dir`."""
        preset_io.save_serialized(
            self,
            preset_dir,
            preset_io.TASK_CONFIG_FILE,
            exclude=PARTS,
        )
        preset_io.save_weights(
            self, preset_dir, preset_io.TASK_WEIGHTS_FILE, objects_to_skip=self.parts()
        )
        self.backbone.save_to_preset(preset_dir)
        if self.preprocessor is not None:
            self.preprocessor.save_to_preset(preset_dir)
        preset_io.save_metadata(self, preset_dir)


def check_preprocessor_feeds_backbone(preprocessor, backbone):
    """Raises unless the preprocessor's outputs are the backbone's inputs."""
    outputs = preprocessor.output_shapes
    expected = {
        name: tuple(tensor.shape[2:]) for name, tensor in backbone.input.items()
    }
    given = {name: tuple(shape) for name, shape in outputs.items()}
    missing = {
        name: shape for name, shape in expected.items() if given.get(name) != shape
    }
    if missing:
        raise ValueError(
            f"The preprocessor {preprocessor.name!r} gives {given}, but the "
            f"backbone {backbone.name!r} takes {expected}: build both for the "
            "same levels and image size (e.g. the backbone's `percept_shapes` "
            "from `preprocessor.output_shapes`)."
        )


def _has_file(preset, file_name):
    return os.path.isfile(os.path.join(preset, file_name))
