import keras
import pytest

import keras_grurcn
from keras_grurcn.export import export_saved_model

CLASS_NAMES = ["walk", "run", "jump"]


@pytest.fixture(scope="session")
def classifier():
    keras.utils.set_random_seed(0)
    return keras_grurcn.build_model(
        "grurcn",
        class_names=CLASS_NAMES,
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool2"],
        hidden_maps=4,
    )


@pytest.fixture(scope="session")
def export_dir(classifier, tmp_path_factory):
    """A SavedModel version folder, as TF Serving would load it."""
    base = tmp_path_factory.mktemp("models") / "grurcn"
    return export_saved_model(classifier, base / "1")


# One row per kind of model that streams: id -> (zoo name, overrides). The
# normalisations that act frame by frame ride along on two of them.
STREAMABLE = {
    "grurcn": ("grurcn", dict(levels=["pool2", "pool3"], hidden_maps=[2, 3])),
    "grurcn_stacked": (
        "grurcn_stacked",
        dict(levels=["pool2", "pool3"], hidden_maps=2, percept_normalization="batch"),
    ),
    "frame_rnn": ("frame_rnn", dict(level="pool5", units=4)),
    "frame_rnn_lstm": ("frame_rnn", dict(level="pool5", rnn="lstm", units=4)),
    "frame_average": (
        "frame_average",
        dict(level="pool5", percept_normalization="layer"),
    ),
}
STREAM_FRAMES = 4  # the clip length of the models above


def build_streamable(kind):
    name, overrides = STREAMABLE[kind]
    keras.utils.set_random_seed(0)
    return keras_grurcn.build_model(
        name,
        class_names=CLASS_NAMES,
        backbone_weights=None,
        num_frames=STREAM_FRAMES,
        image_size=32,
        **overrides,
    )


@pytest.fixture(scope="session")
def streamable_exports(tmp_path_factory):
    """`{kind: (task, SavedModel folder)}` for every kind in `STREAMABLE`."""
    base = tmp_path_factory.mktemp("streamable")
    exports = {}
    for kind in STREAMABLE:
        task = build_streamable(kind)
        exports[kind] = (task, export_saved_model(task, base / kind / "1"))
    return exports
