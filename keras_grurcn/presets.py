"""Paper presets: the settings of Ballas et al. (2016) on the real datasets.

A preset names a zoo model with its overrides, the percept extraction it
expects and the training settings. The paper's numbers are quoted beside
each (UCF-101 split 1, top-1; YouTube2Text test set), to compare with what
a run of the preset measures.

    grurcn extract --layout ucf101 --videos UCF101 --subset train --out caches/train
    grurcn extract --layout ucf101 --videos UCF101 --subset test --out caches/test
    grurcn train --preset ucf101_grurcn_bidirectional --data-dir caches --workdir run
"""

PAPER_LEVELS = ["pool2", "pool3", "pool4", "pool5", "fc7"]
PAPER_HIDDEN_MAPS = [64, 128, 256, 256, 512]

PRESETS = {
    "ucf101_grurcn": {
        "model": "grurcn",
        "build": {
            "num_classes": 101,
            "levels": PAPER_LEVELS,
            "hidden_maps": PAPER_HIDDEN_MAPS,
        },
        "extract": {"backbone": "vgg16", "num_frames": 10, "image_size": 224},
        "train": {"batch_size": 64, "epochs": 100},
        "paper": "RGB top-1 about 79.9% (unverified), Flow 85.7% (UCF-101 split 1)",
    },
    "ucf101_grurcn_stacked": {
        "model": "grurcn_stacked",
        "build": {
            "num_classes": 101,
            "levels": PAPER_LEVELS,
            "hidden_maps": PAPER_HIDDEN_MAPS,
        },
        "extract": {"backbone": "vgg16", "num_frames": 10, "image_size": 224},
        "train": {"batch_size": 64, "epochs": 100},
        "paper": "RGB top-1 about 78.3% (unverified; slightly below independent levels)",
    },
    "ucf101_grurcn_bidirectional": {
        "model": "grurcn_bidirectional",
        "build": {
            "num_classes": 101,
            "levels": PAPER_LEVELS,
            "hidden_maps": PAPER_HIDDEN_MAPS,
        },
        "extract": {"backbone": "vgg16", "num_frames": 10, "image_size": 224},
        "train": {"batch_size": 64, "epochs": 100},
        "paper": "best RGB model (about 80.7%, unverified); RGB+Flow 90.8%",
    },
    "ucf101_frame_average": {
        "model": "frame_average",
        "build": {"num_classes": 101},
        "extract": {"backbone": "vgg16", "num_frames": 10, "image_size": 224},
        "train": {"batch_size": 64, "epochs": 100},
        "paper": "VGG-16 RGB 78.0%, Flow 85.4%, RGB+Flow 89.1%",
    },
    "ucf101_frame_rnn": {
        "model": "frame_rnn",
        "build": {"num_classes": 101},
        "extract": {"backbone": "vgg16", "num_frames": 10, "image_size": 224},
        "train": {"batch_size": 64, "epochs": 100},
        "paper": "VGG-16 RNN (fc7 GRU) RGB 78.1%",
    },
    "youtube2text_grurcn_captioner": {
        "model": "grurcn_captioner",
        "build": {"levels": PAPER_LEVELS, "hidden_maps": PAPER_HIDDEN_MAPS},
        "extract": {"backbone": "vgg16", "num_frames": 10, "image_size": 224},
        "train": {"batch_size": 64, "epochs": 100},
        "decode": {"beam_width": 5, "max_length": 30},
        "paper": "BLEU-4 47.90, METEOR 31.14, CIDEr 67.82 (as later papers cite it)",
    },
}


def get_preset(name):
    """Returns a copy of a preset, or raises a ValueError listing them."""
    if name not in PRESETS:
        raise ValueError(
            f"Unknown preset {name!r}; choose one of: {', '.join(PRESETS)}."
        )
    preset = PRESETS[name]
    return {
        key: dict(value) if isinstance(value, dict) else value
        for key, value in preset.items()
    }
