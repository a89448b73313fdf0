import keras

from keras_grurcn.saving import preset_io


@keras.saving.register_keras_serializable(package="keras_grurcn")
class Preprocessor(keras.layers.Layer):
    """Base class of the preprocessors: raw videos -> what a backbone takes.

    A preprocessor is the part of a task that turns raw inputs (uint8 video
    frames) into the backbone's inputs (cached-percept-shaped tensors). It
    is a layer, saved with its task, and it has the keras-hub preset
    contract: `from_preset(name_or_folder)` and `save_to_preset(folder)`
    (`preprocessor.json`, and `preprocessor.weights.h5` when it holds
    weights, such as the frozen ImageNet CNN of `VideoPreprocessor`).

    Subclasses implement `call`, `output_shapes` (the per-example shapes
    of the outputs, without batch and time axes) and `get_config`.

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", levels=["pool2"], backbone_weights=None, num_frames=4,
        image_size=32,
    )
    preprocessor.save_to_preset("/tmp/preprocessor")
    restored = keras_grurcn.preprocessing.Preprocessor.from_preset(
        "/tmp/preprocessor"
    )
    ```
    """

    @property
    def output_shapes(self):
        raise NotImplementedError(f"{type(self).__name__} must define `output_shapes`.")

    @classmethod
    def from_preset(cls, preset, load_weights=True, **kwargs):
        """Builds a preprocessor from a preset folder or a built-in preset.

        Args:
            preset: a folder written by `save_to_preset` (of a
                preprocessor or of a whole task), or a built-in preset
                name (`keras_grurcn.presets.list_presets()`).
            load_weights: load the saved weights (a folder's
                `preprocessor.weights.h5`).
            **kwargs: constructor arguments overriding the preset's.

        Returns:
            The preprocessor, of the class the preset names.
        """
        if preset_io.is_preset_dir(preset):
            preprocessor = preset_io.load_serialized(
                preset, preset_io.PREPROCESSOR_CONFIG_FILE, cls, overrides=kwargs
            )
            if load_weights and preprocessor.weights:
                preset_io.load_weights(
                    preprocessor, preset, preset_io.PREPROCESSOR_WEIGHTS_FILE
                )
            return preprocessor
        from keras_grurcn.presets import get_preset

        return cls.from_builtin_preset(get_preset(preset), **kwargs)

    @classmethod
    def from_builtin_preset(cls, preset, **kwargs):
        raise ValueError(
            f"{cls.__name__} has no built-in presets; pass a preset folder."
        )

    def save_to_preset(self, preset_dir):
        """Writes `preprocessor.json` (and its weights) into `preset_dir`."""
        preset_io.save_serialized(self, preset_dir, preset_io.PREPROCESSOR_CONFIG_FILE)
        if self.weights:
            preset_io.save_weights(
                self, preset_dir, preset_io.PREPROCESSOR_WEIGHTS_FILE
            )
        preset_io.save_metadata(self, preset_dir)
