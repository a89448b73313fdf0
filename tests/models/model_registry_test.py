import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.models import model_registry

TINY = dict(num_classes=3, backbone_weights=None, num_frames=2, image_size=32)
PAPER_MODELS = (
    "grurcn",
    "grurcn_stacked",
    "grurcn_bidirectional",
    "frame_average",
    "frame_rnn",
    "c3d",
    "two_stream",
    "grurcn_captioner",
)


def test_list_models_names_the_zoo():
    assert set(PAPER_MODELS) <= set(keras_grurcn.list_models())
    assert keras_grurcn.build_model is keras_grurcn.models.build_model
    assert set(keras_grurcn.models.describe_models()) == set(keras_grurcn.list_models())


def test_unknown_model_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Valid models: grurcn, grurcn_stacked"):
        keras_grurcn.build_model("grurcnn", num_classes=3)


def test_unknown_override_lists_the_valid_ones():
    with pytest.raises(
        ValueError, match=r"'hiden_maps'.*Valid overrides:.*hidden_maps"
    ):
        keras_grurcn.build_model("grurcn", hiden_maps=4, **TINY)
    with pytest.raises(ValueError, match=r"'levels'.*Valid overrides:.*width"):
        keras_grurcn.build_model("c3d", levels=["pool2"], **TINY)


@pytest.mark.parametrize("num_classes", [None, 1, 2.5, True])
def test_num_classes_is_required_and_at_least_two(num_classes):
    with pytest.raises(ValueError, match="num_classes"):
        keras_grurcn.build_model(
            "grurcn", **{**TINY, "num_classes": num_classes}, levels=["pool2"]
        )


@pytest.mark.parametrize(
    "name, overrides, message",
    [
        ("grurcn", dict(levels=["pool9"]), r"pool9.*Valid levels: pool1, pool2"),
        ("grurcn", dict(levels=["pool2"], hidden_maps={"pool3": 4}), "pool2"),
        ("grurcn", dict(levels=["pool2", "pool3"], hidden_maps=[4]), "one per level"),
        ("grurcn", dict(levels=["pool2"], hidden_maps=0), "hidden_maps"),
        ("grurcn", dict(levels=["pool2"], dropout=1.0), r"`dropout`.*\[0, 1\)"),
        ("grurcn", dict(levels=["pool2"], kernel_size=0), "kernel_size"),
        ("grurcn", dict(levels=["pool2"], percept_normalization="group"), "'layer'"),
        ("frame_rnn", dict(level="pool5", rnn="rnn"), r"`rnn`.*'gru', 'lstm'"),
        ("frame_average", dict(level="fc8"), "Valid levels"),
        ("two_stream", dict(levels=["pool2"], flow_weight=1.5), "flow_weight"),
        ("two_stream", dict(levels=["pool2"], encoder="deep"), "'bidirectional'"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_the_choices(name, overrides, message):
    with pytest.raises(ValueError, match=message):
        keras_grurcn.build_model(name, **TINY, **overrides)


def test_bad_common_arguments():
    with pytest.raises(ValueError, match="Unknown backbone 'vgg19'.*vgg16"):
        keras_grurcn.build_model("grurcn", **{**TINY, "backbone": "vgg19"})
    with pytest.raises(ValueError, match="num_frames"):
        keras_grurcn.build_model("grurcn", **{**TINY, "num_frames": 0})
    with pytest.raises(ValueError, match="image_size"):
        keras_grurcn.build_model("grurcn", **{**TINY, "image_size": "big"})
    # c3d has no backbone: naming one is an error, not silently ignored.
    with pytest.raises(ValueError, match="'c3d' does not take `backbone`"):
        keras_grurcn.build_model("c3d", **{**TINY, "backbone": "resnet50"})
    with pytest.raises(ValueError, match="does not take `vocabulary`"):
        keras_grurcn.build_model("grurcn", vocabulary=["a"], **TINY)


def test_c3d_refuses_a_preprocessor_with_a_cnn():
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", levels=["pool2"], backbone_weights=None, num_frames=2, image_size=32
    )
    with pytest.raises(ValueError, match="learns from pixels"):
        keras_grurcn.build_model("c3d", num_classes=3, preprocessor=preprocessor)


def test_a_given_preprocessor_must_be_one():
    with pytest.raises(ValueError, match="must be a VideoPreprocessor"):
        keras_grurcn.build_model("grurcn", num_classes=3, preprocessor="vgg16")


def test_a_given_preprocessor_defines_the_inputs():
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16",
        levels=["pool2", "pool3"],
        backbone_weights=None,
        num_frames=2,
        image_size=32,
    )
    model = keras_grurcn.build_model(
        "grurcn", num_classes=3, preprocessor=preprocessor, levels=["pool3"]
    )
    assert model.preprocessor is preprocessor
    assert model.backbone_input_names == ["pool3"]
    with pytest.raises(ValueError, match="computes the levels.*pool4"):
        keras_grurcn.build_model(
            "grurcn", num_classes=3, preprocessor=preprocessor, levels=["pool4"]
        )
    with pytest.raises(ValueError, match="num_frames come from the given"):
        keras_grurcn.build_model(
            "grurcn", num_classes=3, preprocessor=preprocessor, num_frames=4
        )


def test_class_names_give_the_number_of_classes():
    model = keras_grurcn.build_model(
        "grurcn",
        class_names=["a", "b", "c"],
        **{**TINY, "num_classes": None},
        levels=["pool2"],
        hidden_maps=2,
    )
    assert (model.num_classes, model.class_names) == (3, ["a", "b", "c"])
    with pytest.raises(ValueError, match="4 but 3 `class_names`|`num_classes`=4"):
        keras_grurcn.build_model(
            "grurcn",
            class_names=["a", "b", "c"],
            **{**TINY, "num_classes": 4},
            levels=["pool2"],
        )
    with pytest.raises(ValueError, match="duplicates"):
        keras_grurcn.build_model(
            "grurcn",
            class_names=["a", "a"],
            **{**TINY, "num_classes": None},
            levels=["pool2"],
        )


def test_missing_builder_is_a_clear_message(monkeypatch):
    assert keras_grurcn.models.model_task("grurcn_captioner") == "captioning"
    monkeypatch.setitem(
        model_registry._MODELS,
        "grurcn_captioner",
        model_registry.ModelEntry(
            "keras_grurcn.captioning.not_written:build", task="captioning"
        ),
    )
    with pytest.raises(NotImplementedError, match="does not exist"):
        keras_grurcn.build_model("grurcn_captioner", vocabulary=["a"])


def tiny_registered_builder(
    *, num_classes=None, num_frames=10, image_size=224, width=2
):
    return keras_grurcn.models.build_c3d(
        num_classes=num_classes,
        num_frames=num_frames,
        image_size=image_size,
        width=width,
        fc_units=4,
        name="registered",
    )


def test_register_model_adds_a_builder(monkeypatch):
    monkeypatch.setitem(model_registry._MODELS, "tiny", model_registry._MODELS["c3d"])
    model_registry.register_model(
        "tiny", f"{__name__}:tiny_registered_builder", description="a test model"
    )
    assert "tiny" in keras_grurcn.list_models()
    model = keras_grurcn.build_model("tiny", width=3, **TINY)
    assert model.name == "registered"
    assert model.backbone.get_layer("conv1a").filters == 3
    with pytest.raises(ValueError, match="module:function"):
        model_registry.register_model("bad", tiny_registered_builder)


def variable_length_model():
    model = keras_grurcn.build_model(
        "grurcn_bidirectional",
        **{**TINY, "num_frames": None},
        levels=["pool5", "fc7"],
        hidden_maps=2,
    )
    model.compile(jit_compile=False)
    return model


def variable_length_percepts(num_frames):
    rng = np.random.default_rng(num_frames)
    return {
        "pool5": rng.uniform(0, 2, (2, num_frames, 1, 1, 512)).astype("float32"),
        "fc7": rng.uniform(0, 2, (2, num_frames, 4096)).astype("float32"),
    }


def test_variable_length_clips():
    # num_frames=None: one model for clips of any length.
    model = variable_length_model()
    for num_frames in (1, 3):
        assert model(variable_length_percepts(num_frames)).shape == (2, 3)
    history = model.fit(variable_length_percepts(3), np.array([0, 2]), verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_variable_length_clips_retrace_in_graph_mode():
    model = variable_length_model()
    for num_frames in (1, 3):
        model.fit(variable_length_percepts(num_frames), np.array([0, 2]), verbose=0)


def test_trainable_backbone_unfreezes_the_percept_extractor():
    def trainable_paths(trainable_backbone):
        model = keras_grurcn.build_model(
            "grurcn",
            **TINY,
            levels=["pool2"],
            hidden_maps=2,
            trainable_backbone=trainable_backbone,
        )
        return [weight.path for weight in model.trainable_weights]

    frozen, unfrozen = trainable_paths(False), trainable_paths(True)
    assert not any("block1_conv1" in path for path in frozen)
    assert any("block1_conv1" in path for path in unfrozen)
    assert set(frozen) < set(unfrozen)
