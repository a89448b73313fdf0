"""The paper's argument for convolutional GRUs, in numbers.

A fully-connected GRU over a flattened percept needs weights for every
pair of positions; a GRU-RCN shares a k x k kernel across positions
(Ballas et al., 2016, Sec. 3.1). The formulas are checked against built
layers on small shapes, then evaluated at the paper's sizes (224x224
VGG-16): pool3 is 28x28x256 with 128 hidden maps.
"""

import math

import keras_grurcn
from keras_grurcn.percepts import percept_shapes


def conv_gru_parameters(kernel_size, in_channels, maps):
    """`W` (k·k·C_in → 3·maps), `U` (k·k·maps → 3·maps) and the biases."""
    return 3 * (kernel_size**2 * (in_channels + maps) * maps + maps)


def fc_gru_parameters(inputs, units):
    """A `keras.layers.GRU(reset_after=False)`: 3·(D·H + H·H + H)."""
    return 3 * (inputs * units + units * units + units)


def paper_backbone(levels, image_size=(224, 224), **kwargs):
    """A GRU-RCN body over cached VGG-16 percepts: no CNN is built."""
    return keras_grurcn.GRURCNBackbone(
        percept_shapes("vgg16", levels, image_size), num_frames=2, **kwargs
    )


def test_formulas_match_the_built_layers():
    grurcn = paper_backbone(["pool3", "fc7"], (32, 32), hidden_maps=[4, 5])
    assert grurcn.get_layer("pool3_grurcn").count_params() == conv_gru_parameters(
        3, 256, 4
    )
    assert grurcn.get_layer("fc7_grurcn").count_params() == fc_gru_parameters(4096, 5)
    frame_rnn = keras_grurcn.models.FrameRNNBackbone(
        percept_shapes("vgg16", ["pool3"], (32, 32)), units=5, num_frames=2
    )
    flattened = 4 * 4 * 256  # pool3 at 32x32
    assert frame_rnn.get_layer("pool3_gru").count_params() == fc_gru_parameters(
        flattened, 5
    )


def test_grurcn_level_is_far_smaller_than_a_fully_connected_gru():
    # The real layer at the paper's size, over cached percepts (no CNN).
    conv = paper_backbone(["pool3"]).get_layer("pool3_grurcn").count_params()
    assert conv == conv_gru_parameters(3, 256, 128) == 1_327_488

    flattened = math.prod((28, 28, 256))  # 200,704 inputs per frame
    same_state = math.prod((28, 28, 128))  # a state as large as the GRU-RCN's
    # 90.6 billion: an FC GRU with the GRU-RCN's state size is not buildable.
    assert fc_gru_parameters(flattened, same_state) == 90_635_016_192
    # Even a 512-unit FC GRU (fc7-sized state, 196x smaller) has 309 million,
    # 233 times the GRU-RCN level's 1.3 million.
    assert fc_gru_parameters(flattened, 512) == 309_069_312
    assert fc_gru_parameters(flattened, 512) > 200 * conv


def test_paper_sized_grurcn_levels():
    # The paper's five levels at 224x224: hidden maps 64/128/256/256/512.
    backbone = paper_backbone(None)
    counts = {
        level: backbone.get_layer(f"{level}_grurcn").count_params()
        for level in ("pool2", "pool3", "pool4", "pool5", "fc7")
    }
    assert counts == {
        "pool2": conv_gru_parameters(3, 128, 64),  # 331,968
        "pool3": conv_gru_parameters(3, 256, 128),  # 1,327,488
        "pool4": conv_gru_parameters(3, 512, 256),  # 5,309,184
        "pool5": conv_gru_parameters(3, 512, 256),  # 5,309,184
        "fc7": fc_gru_parameters(4096, 512),  # 7,080,448
    }
    # The five GRU-RCNs and their classifiers: what is trained on top of the
    # frozen VGG-16 (19,480,569, see build_grurcn's docstring).
    classifier = keras_grurcn.VideoClassifier(backbone, num_classes=101)
    assert classifier.count_params() == 19_480_569
