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
