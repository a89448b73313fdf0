import pytest

from keras_grurcn.percepts import percept_shapes


def test_vgg16_paper_shapes_at_224():
    assert percept_shapes("vgg16", image_size=(224, 224)) == {
        "pool2": (56, 56, 128),
        "pool3": (28, 28, 256),
        "pool4": (14, 14, 512),
        "pool5": (7, 7, 512),
        "fc7": (4096,),
    }


def test_resnet50_and_efficientnetv2b0_shapes_at_224():
    assert percept_shapes("resnet50") == {
        "conv2": (56, 56, 256),
        "conv3": (28, 28, 512),
        "conv4": (14, 14, 1024),
        "conv5": (7, 7, 2048),
        "avg_pool": (2048,),
    }
    assert percept_shapes("efficientnetv2b0", ["block2", "top", "avg_pool"]) == {
        "block2": (56, 56, 32),
        "top": (7, 7, 1280),
        "avg_pool": (1280,),
    }


def test_odd_sizes_round_like_the_backbone():
    # VGG's 2x2 valid pooling drops the odd row; strided "same" convs keep it.
    assert percept_shapes("vgg16", ["pool3"], (33, 50)) == {"pool3": (4, 6, 256)}
    assert percept_shapes("resnet50", ["conv3"], (33, 50)) == {"conv3": (5, 7, 512)}


@pytest.mark.parametrize(
    "image_size, message",
    [((31, 64), "at least 32"), ((64,), r"\(height, width\)"), ("big", "height")],
)
def test_bad_image_size(image_size, message):
    with pytest.raises(ValueError, match=message):
        percept_shapes("vgg16", ["pool2"], image_size)
