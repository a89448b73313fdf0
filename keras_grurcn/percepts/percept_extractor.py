import os

import keras

from keras_grurcn.percepts.backbone_preprocessing import BackbonePreprocessing
from keras_grurcn.percepts.backbones import get_backbone


def build_percept_extractor(
    backbone="vgg16",
    levels=None,
    weights="imagenet",
    image_size=(224, 224),
    trainable=False,
    cross_modality=False,
    name=None,
):
    """Builds a model mapping images to percepts at several backbone levels.

    The model is `BackbonePreprocessing` (the backbone's own input
    normalisation) followed by the `keras.applications` backbone cut just
    after the deepest requested level, so asking only for VGG-16's pool3
    gives a model that ends at `block3_pool`. Its output is a dict
    `{level: percept}`.

    Args:
        backbone: a registered backbone name, see `list_backbones()`:
            `"vgg16"` (the paper's; levels pool1-pool5, fc6, fc7),
            `"resnet50"` (conv2-conv5, avg_pool) or `"efficientnetv2b0"`
            (block2, block3, block5, block6, top, avg_pool).
        levels: level names (any order; the output is keyed by name), or
            `None` for the backbone's defaults (for VGG-16 the paper's
            pool2, pool3, pool4, pool5, fc7).
        weights: `"imagenet"` (downloaded once by Keras into
            `~/.keras/models`), `None` (random initialisation) or the path
            of a local weights file saved from the `keras.applications`
            model the extractor is cut from (see Raises).
        image_size: `(height, width)` of the images, at least 32x32. With
            ImageNet weights, the fully-connected levels (fc6/fc7) need
            224x224; at other sizes they are Dense(4096) layers on the
            flattened pool5, as in `VGG16(include_top=True)`.
        trainable: whether the backbone's weights are trained. Frozen by
            default; frozen BatchNormalization layers run in inference
            mode. `model.trainable = ...` switches it later.
        cross_modality: for images that are not RGB photographs (optical
            flow encoded as images, `keras_grurcn.data.flow_images`): the
            first convolution's filters are averaged over the three input
            channels and the average replicated on each, the
            cross-modality initialisation of TSN (Wang et al., 2016), so
            RGB-trained weights respond to the channels alike instead of
            to colours that flow images do not have.
        name: the model's name, `"<backbone>_percept_extractor"` by
            default.

    Returns:
        A `keras.Model` mapping RGB images `(batch, height, width, 3)` with
        values in `[0, 255]` (float or integer) to a dict
        `{level: (batch, rows, cols, channels)}`, `(batch, units)` for a
        vector level. `percept_shapes()` gives the shapes without building.

    Raises:
        ValueError: for an unknown backbone or level, an image size that is
            too small, or a weights argument that is neither `"imagenet"`,
            `None` nor an existing file.
        OSError: when the ImageNet weights cannot be downloaded; the
            message says how to go on without a network.

    Examples:

    ```python
    extractor = keras_grurcn.percepts.build_percept_extractor(
        "vgg16", levels=["pool2", "pool3"], weights=None, image_size=(32, 32)
    )
    percepts = extractor(np.zeros((2, 32, 32, 3), "float32"))
    percepts["pool3"].shape  # (2, 4, 4, 256)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Wang et al., 2016](https://arxiv.org/abs/1608.00859) (TSN)
    """
    spec = get_backbone(backbone)
    levels = spec.resolve_levels(levels)
    image_size = spec.check_image_size(image_size)
    weights = _check_weights(weights)
    if keras.config.image_data_format() != "channels_last":
        raise ValueError(
            "build_percept_extractor: percepts are channels_last; "
            "`keras.config.image_data_format()` is "
            f"{keras.config.image_data_format()!r}."
        )
    application_kwargs = {}
    for level in levels:
        application_kwargs.update(spec.level(level).application_kwargs)
    if application_kwargs.get("include_top") and weights == "imagenet":
        default_size = (spec.default_image_size, spec.default_image_size)
        if image_size != default_size:
            raise ValueError(
                f"Levels {levels} of backbone {spec.name!r} include its "
                "fully-connected top, whose ImageNet weights exist only for "
                f"{default_size[0]}x{default_size[1]} images; got "
                f"image_size={image_size}. Use image_size={default_size}, "
                "convolutional levels only, or weights=None / a local "
                "weights file."
            )

    # === Layers ===
    application = _build_application(spec, weights, image_size, application_kwargs)
    if cross_modality:
        average_input_filters(application)
    # A functional model over the application's graph keeps only the layers
    # between its input and the requested outputs: the backbone is cut after
    # the deepest level, and the rest is dropped with `application`.
    trunk = keras.Model(
        application.input,
        {
            level: application.get_layer(spec.level(level).layer_name).output
            for level in levels
        },
        name=application.name,
    )
    preprocessing = BackbonePreprocessing(
        spec.preprocessing, name=f"{spec.name}_preprocessing"
    )

    # === Functional Model ===
    images = keras.Input((*image_size, 3), name="images")
    percepts = trunk(preprocessing(images))
    extractor = keras.Model(
        images, percepts, name=name or f"{spec.name}_percept_extractor"
    )
    extractor.trainable = trainable
    return extractor


def average_input_filters(model):
    """TSN's cross-modality initialisation of a CNN's first convolution.

    The first convolution's kernel `(rows, cols, channels, filters)` is
    replaced by its mean over the input channels, replicated on each: every
    filter then sees the sum of the channels (for flow images: horizontal
    and vertical displacement and magnitude) with the spatial pattern the
    RGB weights learnt.

    Args:
        model: a Keras model (a `keras.applications` CNN).

    Returns:
        The layer whose kernel was changed.

    Examples:

    ```python
    cnn = keras.applications.VGG16(
        include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    layer = keras_grurcn.percepts.average_input_filters(cnn)
    layer.name  # 'block1_conv1'
    ```
    """
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D) and not isinstance(
            layer, keras.layers.DepthwiseConv2D
        ):
            kernel = keras.ops.convert_to_numpy(layer.kernel)
            average = kernel.mean(axis=2, keepdims=True)
            layer.kernel.assign(average.repeat(kernel.shape[2], axis=2))
            return layer
    raise ValueError(
        f"average_input_filters: {model.name!r} has no convolution to initialise."
    )


def _check_weights(weights):
    if weights is None or weights == "imagenet":
        return weights
    if isinstance(weights, (str, os.PathLike)) and os.path.isfile(weights):
        return os.fspath(weights)
    raise ValueError(
        "`weights` must be 'imagenet', None or the path of an existing "
        f"weights file; got {weights!r}."
    )


def _build_application(spec, weights, image_size, application_kwargs):
    constructor = getattr(keras.applications, spec.application)
    kwargs = {
        "include_top": False,
        "weights": weights,
        "input_shape": (*image_size, 3),
        **application_kwargs,
    }
    if weights != "imagenet":
        return constructor(**kwargs)
    try:
        return constructor(**kwargs)
    except OSError as error:
        raise _weights_download_error(spec, kwargs) from error
    except Exception as error:
        # Keras' `get_file` reports URL and HTTP errors as a bare Exception;
        # anything more specific (a ValueError, say) is not a download error.
        if type(error) is not Exception:
            raise
        raise _weights_download_error(spec, kwargs) from error


def _weights_download_error(spec, kwargs):
    arguments = ", ".join(
        f"{key}={value!r}" for key, value in {**kwargs, "weights": None}.items()
    )
    return OSError(
        f"Could not download the ImageNet weights of backbone {spec.name!r} "
        "(is there a network connection?). Without one, pass None instead of "
        "'imagenet' (`backbone_weights=None` in keras_grurcn layers and "
        "models, `weights=None` in build_percept_extractor) to start from "
        "random weights, or the path of a local weights file holding the "
        f"weights of keras.applications.{spec.application}({arguments})."
    )
