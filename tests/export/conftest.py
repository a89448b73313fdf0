import keras
import pytest

from keras_grurcn.export import export_saved_model
from tests.training.tiny_classifiers import grurcn_classifier

CLASS_NAMES = ["walk", "run", "jump"]


@pytest.fixture(scope="session")
def classifier():
    keras.utils.set_random_seed(0)
    return grurcn_classifier(num_classes=3, num_frames=4, image_size=(32, 32))


@pytest.fixture(scope="session")
def export_dir(classifier, tmp_path_factory):
    """A SavedModel version folder, as TF Serving would load it."""
    base = tmp_path_factory.mktemp("models") / "grurcn"
    return export_saved_model(classifier, base / "1", class_names=CLASS_NAMES)
