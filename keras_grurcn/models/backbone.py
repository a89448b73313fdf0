import keras

from keras_grurcn.saving import preset_io


@keras.saving.register_keras_serializable(package="keras_grurcn")
class Backbone(keras.Model):
    """Base class of the backbones: cached percepts -> video features.

    A backbone is the trainable body of a task: a functional `keras.Model`
    built in `__init__`, from a dict of per-level percept sequences (what a
    `VideoPreprocessor` returns, or a percept cache holds) to a dict of
    features, one per level (what a task's head reads). Its `get_config`
    returns every constructor argument, so `cls(**backbone.get_config())`
    rebuilds it. It has the keras-hub preset contract: `from_preset` and
    `save_to_preset` (`config.json` and `model.weights.h5`).

    Examples:

    ```python
    backbone = keras_grurcn.GRURCNBackbone(
        {"pool2": (8, 8, 16)}, hidden_maps=4, num_frames=4
    )
    backbone.save_to_preset("/tmp/backbone")
    restored = keras_grurcn.models.Backbone.from_preset("/tmp/backbone")
    ```
    """

    def get_config(self):
        # Not chained to `keras.Model`: a functional model's default config
        # is its graph, which the constructors of the subclasses rebuild.
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    @classmethod
    def from_preset(cls, preset, load_weights=True, **kwargs):
        """Builds a backbone from a preset folder or a built-in preset.

        Args:
            preset: a folder written by `save_to_preset` (of a backbone or
                of a whole task), or a built-in preset name
                (`keras_grurcn.presets.list_presets()`: the paper's
                architectures, untrained).
            load_weights: load `model.weights.h5` from a folder.
            **kwargs: constructor arguments overriding the preset's.
        """
        if preset_io.is_preset_dir(preset):
            backbone = preset_io.load_serialized(
                preset, preset_io.BACKBONE_CONFIG_FILE, cls, overrides=kwargs
            )
            if load_weights:
                preset_io.load_weights(
                    backbone, preset, preset_io.BACKBONE_WEIGHTS_FILE
                )
            return backbone
        from keras_grurcn.models.model_registry import build_preset

        # The backbone has no CNN weights: a random CNN, nothing downloaded.
        task = build_preset(preset, **{"backbone_weights": None, **kwargs})
        if not isinstance(task.backbone, cls):
            raise ValueError(
                f"Preset {preset!r} has a {type(task.backbone).__name__}, not a "
                f"{cls.__name__}."
            )
        return task.backbone

    def save_to_preset(self, preset_dir):
        """Writes `config.json`, `model.weights.h5` and `metadata.json`."""
        preset_io.save_serialized(self, preset_dir, preset_io.BACKBONE_CONFIG_FILE)
        preset_io.save_weights(self, preset_dir, preset_io.BACKBONE_WEIGHTS_FILE)
        preset_io.save_metadata(self, preset_dir)
