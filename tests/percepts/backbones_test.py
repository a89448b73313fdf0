import pytest

from keras_grurcn.percepts import BACKBONES
from keras_grurcn.percepts import get_backbone
from keras_grurcn.percepts import list_backbones

# The paper's VGG-16 levels at 224x224 (PAPER.md, "Architecture").
PAPER_VGG16_LEVELS = {
    "pool2": ("block2_pool", (56, 56, 128)),
    "pool3": ("block3_pool", (28, 28, 256)),
    "pool4": ("block4_pool", (14, 14, 512)),
    "pool5": ("block5_pool", (7, 7, 512)),
    "fc7": ("fc2", (4096,)),
}


def test_registry_lists_the_supported_backbones():
    assert list_backbones() == ("vgg16", "resnet50", "efficientnetv2b0")
    assert set(BACKBONES) == set(list_backbones())


@pytest.mark.parametrize("name", list_backbones())
def test_registry_entries_are_consistent(name):
    spec = BACKBONES[name]
    assert spec.name == name
    assert len(set(spec.level_names)) == len(spec.level_names)
    assert set(spec.default_levels) <= set(spec.level_names)
    assert spec.preprocessing in ("caffe", "tf", "torch", "none")
    assert spec.notes
    strides = [level.stride for level in spec.levels if not level.is_vector]
    assert strides == sorted(strides), "map levels are listed shallow to deep"


def test_vgg16_defaults_are_the_papers_levels():
    spec = get_backbone("vgg16")
    assert spec.default_levels == tuple(PAPER_VGG16_LEVELS)
    for level, (layer_name, shape) in PAPER_VGG16_LEVELS.items():
        assert spec.level(level).layer_name == layer_name
        assert spec.level_shape(level, (224, 224)) == shape
    assert spec.preprocessing == "caffe"


def test_get_backbone_is_case_insensitive():
    assert get_backbone("VGG16") is BACKBONES["vgg16"]


def test_unknown_backbone_lists_the_valid_ones():
    with pytest.raises(ValueError, match="vgg16, resnet50, efficientnetv2b0"):
        get_backbone("vgg19")


def test_unknown_level_lists_the_valid_ones():
    with pytest.raises(ValueError, match="conv2, conv3, conv4, conv5, avg_pool"):
        get_backbone("resnet50").resolve_levels(["conv3", "pool3"])


def test_levels_are_resolved_shallow_to_deep():
    spec = get_backbone("vgg16")
    assert spec.resolve_levels(["fc7", "pool3"]) == ("pool3", "fc7")
    assert spec.resolve_levels("pool4") == ("pool4",)
    assert spec.resolve_levels(None) == spec.default_levels


@pytest.mark.parametrize(
    "levels, message", [([], "empty"), (["pool3", "pool3"], "duplicates")]
)
def test_bad_level_lists_are_rejected(levels, message):
    with pytest.raises(ValueError, match=message):
        get_backbone("vgg16").resolve_levels(levels)
