import keras
from keras import ops

_MODES = ("caffe", "tf", "torch", "none")
_CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
_TORCH_MEAN_RGB = (0.485, 0.456, 0.406)
_TORCH_STD_RGB = (0.229, 0.224, 0.225)


@keras.saving.register_keras_serializable(package="keras_grurcn")
class BackbonePreprocessing(keras.layers.Layer):
    """Maps RGB images in `[0, 255]` to what an ImageNet backbone expects.

    The modes are those of `keras.applications.imagenet_utils.preprocess_input`,
    written with `keras.ops` so they run in the model on any backend (and are
    saved with it, unlike a Lambda):

    - `"caffe"` (VGG, ResNet): RGB to BGR, minus the ImageNet mean pixel.
    - `"tf"` (Inception, MobileNetV2): scaled to `[-1, 1]`.
    - `"torch"` (DenseNet): scaled to `[0, 1]`, ImageNet mean/std normalised.
    - `"none"`: only cast; for applications that preprocess inside the model
      (MobileNetV3, EfficientNetV2).

    Args:
        mode: one of `"caffe"`, `"tf"`, `"torch"`, `"none"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        images: RGB images `(..., 3)` in `[0, 255]`, any numeric dtype
            (integers are cast to the layer's compute dtype).

    Returns:
        The preprocessed images, same shape, in the compute dtype.

    Examples:

    ```python
    layer = keras_grurcn.percepts.BackbonePreprocessing(mode="caffe")
    x = layer(np.full((2, 16, 16, 3), 255, "uint8"))  # BGR minus mean
    ```
    """

    def __init__(self, mode="caffe", **kwargs):
        super().__init__(**kwargs)
        if mode not in _MODES:
            raise ValueError(
                f"BackbonePreprocessing: unknown `mode` {mode!r}; expected one "
                f"of {', '.join(_MODES)}."
            )
        self.mode = mode

    def call(self, images):
        images = ops.cast(images, self.compute_dtype)
        if self.mode == "caffe":
            mean = ops.convert_to_tensor(_CAFFE_MEAN_BGR, self.compute_dtype)
            return ops.flip(images, axis=-1) - mean
        if self.mode == "tf":
            return images / 127.5 - 1.0
        if self.mode == "torch":
            mean = ops.convert_to_tensor(_TORCH_MEAN_RGB, self.compute_dtype)
            std = ops.convert_to_tensor(_TORCH_STD_RGB, self.compute_dtype)
            return (images / 255.0 - mean) / std
        return images

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"mode": self.mode})
        return config
