from keras_grurcn.models.frame_rnn_backbone import FrameRNNBackbone
from keras_grurcn.models.grurcn_parts import zoo_preprocessor
from keras_grurcn.models.video_classifier import VideoClassifier


def build_frame_rnn(
    *,
    num_classes=None,
    class_names=None,
    preprocessor=None,
    backbone="vgg16",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    level="fc7",
    rnn="gru",
    units=512,
    dropout=0.7,
    trainable_backbone=False,
    percept_normalization=None,
    name="frame_rnn",
):
    """The VGG-16 RNN baseline: a fully-connected GRU (or LSTM) over fc7.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 4.1, the "VGG-16 RNN" baseline
          (78.1% RGB top-1 on UCF-101); with `rnn="lstm"` the LRCN of
          Donahue et al. (2015).
        - Models: global motion, the evolution of one whole-frame feature
          vector; fine local motion is gone by fc7.
        - Architecture: frames -> VGG-16 fc7 (4096) per frame -> a GRU
          (`"{level}_gru"`, 512 units, the size of GRU-RCN's fc7 level; the
          paper does not give it) or an LSTM (`"{level}_lstm"`) -> last
          state, dropout 0.7, softmax classifier (`"{level}_classifier"`,
          in `model.head`).
          A convolutional `level` is flattened per frame first
          (`"{level}_flatten"`), the fully-connected alternative to a
          GRU-RCN the paper argues against (its parameter count grows with
          the map size).
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          VGG-16 to fc7, ImageNet-frozen): 141,391,781 in all,
          7,131,237 trainable (the rest is the frozen backbone).

    Args:
        num_classes, class_names, preprocessor, backbone, backbone_weights,
        num_frames,
        image_size, trainable_backbone, percept_normalization, name: as in
        `build_grurcn`.
        level: the one percept level read (`"fc7"` in the paper).
        rnn: `"gru"` or `"lstm"`.
        units: the recurrent layer's units.
        dropout: dropout before the classifier (0.7).

    Returns:
        A `keras_grurcn.VideoClassifier` over a `FrameRNNBackbone`.

    Examples:

    ```python
    model = keras_grurcn.models.build_frame_rnn(
        num_classes=4, backbone_weights=None, num_frames=4, image_size=32,
        level="pool5", rnn="lstm", units=8,
    )
    model(np.zeros((2, 4, 32, 32, 3))).shape  # (2, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Donahue et al., 2015](https://arxiv.org/abs/1411.4389)
    """
    preprocessor, percept_shapes = zoo_preprocessor(
        preprocessor,
        backbone=backbone,
        levels=[level],
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        trainable_backbone=trainable_backbone,
    )
    body = FrameRNNBackbone(
        percept_shapes,
        rnn=rnn,
        units=units,
        num_frames=preprocessor.num_frames,
        percept_normalization=percept_normalization,
        name="backbone",
    )
    return VideoClassifier(
        body,
        preprocessor,
        num_classes=num_classes,
        class_names=class_names,
        dropout=dropout,
        name=name,
    )
