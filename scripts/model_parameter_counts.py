"""Prints every zoo model's parameter count at the paper's input size.

224x224 frames, 10-frame clips, 101 classes (UCF-101), VGG-16 with random
weights (the count does not depend on them; nothing is downloaded). The
models are big (VGG-16 to fc7 alone is 134M parameters), so this is a
script, not a test:

    python scripts/model_parameter_counts.py [model ...]
"""

import argparse

import keras_grurcn


def parameter_counts(name):
    """Returns `(total, trainable)` parameters of `name` at the paper's size."""
    model = keras_grurcn.build_model(
        name, num_classes=101, backbone_weights=None, num_frames=10, image_size=224
    )
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    return model.count_params(), trainable


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help="default: every classifier")
    names = parser.parse_args().models or [
        name
        for name in keras_grurcn.list_models()
        if keras_grurcn.models.model_task(name) == "classification"
    ]
    print(f"{'model':<22} {'total':>13} {'trainable':>13}")
    for name in names:
        total, trainable = parameter_counts(name)
        print(f"{name:<22} {total:>13,} {trainable:>13,}", flush=True)


if __name__ == "__main__":
    main()
