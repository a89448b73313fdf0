"""Paper presets: the settings of Ballas et al. (2016) on the real datasets.

Each preset is an experiment config, the same tree a `grurcn train --config`
file holds (`keras_grurcn.training.ExperimentConfig` reads and checks it):

- `model`: the zoo model (`name`) and its `build_model` arguments;
- `preprocessor`: the percept extraction it expects (`grurcn extract`'s
  `--backbone`, `--frames`, `--image-size`);
- `data`: what is read from the caches (captioners: caption length);
- `train`: `TrainingConfig` fields;
- `paper`: the paper's numbers (UCF-101 split 1, top-1; YouTube2Text test
  set), to compare with what a run of the preset measures.

Pure data: no imports, so the command line lists the presets without
starting Keras.

    grurcn extract --layout ucf101 --videos UCF101 --subset train --out caches/train
    grurcn extract --layout ucf101 --videos UCF101 --subset test --out caches/test
    grurcn train --preset ucf101_grurcn_bidirectional --data-dir caches --workdir run

The two-stream preset also needs the flow percepts of the same videos, with
the flow settings of its `preprocessor` section (`flow_method`, `flow_bound`):

    grurcn extract ... --modality flow --flow-method tvl1 --out flow_caches/train
    grurcn extract ... --modality flow --flow-method tvl1 --out flow_caches/test
    grurcn train --preset ucf101_two_stream --data-dir caches \
        --flow-data-dir flow_caches --workdir run
"""

import copy

PAPER_LEVELS = ["pool2", "pool3", "pool4", "pool5", "fc7"]
PAPER_HIDDEN_MAPS = [64, 128, 256, 256, 512]

PAPER_PREPROCESSOR = {"backbone": "vgg16", "num_frames": 10, "image_size": 224}
# The flow stream's images: TV-L1, as in the two-stream literature, bounded
# at 20 pixels (the paper does not give its flow settings).
TWO_STREAM_FLOW = {"flow_method": "tvl1", "flow_bound": 20.0}
# Mini-batches of 64 videos (the paper); the epoch budget is ours.
PAPER_TRAINING = {"batch_size": 64, "epochs": 100}


def _paper_preset(model, paper, **sections):
    return {
        "model": model,
        "preprocessor": dict(PAPER_PREPROCESSOR),
        "train": dict(PAPER_TRAINING),
        **sections,
        "paper": paper,
    }


def _ucf101_grurcn(name, paper):
    model = {
        "name": name,
        "num_classes": 101,
        "levels": PAPER_LEVELS,
        "hidden_maps": PAPER_HIDDEN_MAPS,
    }
    return _paper_preset(model, paper)


PRESETS = {
    "ucf101_grurcn": _ucf101_grurcn(
        "grurcn", "RGB top-1 about 79.9% (unverified), Flow 85.7% (UCF-101 split 1)"
    ),
    "ucf101_grurcn_stacked": _ucf101_grurcn(
        "grurcn_stacked",
        "RGB top-1 about 78.3% (unverified; slightly below independent levels)",
    ),
    "ucf101_grurcn_bidirectional": _ucf101_grurcn(
        "grurcn_bidirectional",
        "best RGB model (about 80.7%, unverified); RGB+Flow 90.8%",
    ),
    "ucf101_two_stream": _paper_preset(
        {
            "name": "two_stream",
            "num_classes": 101,
            "levels": PAPER_LEVELS,
            "hidden_maps": PAPER_HIDDEN_MAPS,
            "encoder": "bidirectional",
        },
        "RGB+Flow 90.8% top-1 with bi-directional GRU-RCN streams (flow alone: "
        "GRU-RCN 85.7%)",
        preprocessor={**PAPER_PREPROCESSOR, **TWO_STREAM_FLOW},
    ),
    "ucf101_frame_average": _paper_preset(
        {"name": "frame_average", "num_classes": 101},
        "VGG-16 RGB 78.0%, Flow 85.4%, RGB+Flow 89.1%",
    ),
    "ucf101_frame_rnn": _paper_preset(
        {"name": "frame_rnn", "num_classes": 101}, "VGG-16 RNN (fc7 GRU) RGB 78.1%"
    ),
    "youtube2text_grurcn_captioner": _paper_preset(
        {
            "name": "grurcn_captioner",
            "levels": PAPER_LEVELS,
            "hidden_maps": PAPER_HIDDEN_MAPS,
        },
        "BLEU-4 47.90, METEOR 31.14, CIDEr 67.82 (as later papers cite it); "
        "Yao et al. 2015's decoder: beam 5 (grurcn evaluate --beam-width), "
        "captions up to 30 words",
        # Yao et al.'s longest caption, <bos> and <eos> included.
        data={"max_caption_length": 30},
    ),
}


def list_presets():
    """The names of the built-in presets: the paper's settings, untrained.

    Examples:

    ```python
    keras_grurcn.list_presets()  # ('ucf101_grurcn', ...)
    ```
    """
    return tuple(PRESETS)


def get_preset(name):
    """Returns a copy of a preset (an experiment config tree), or raises a
    ValueError listing them."""
    if name not in PRESETS:
        raise ValueError(
            f"Unknown preset {name!r}; choose one of: {', '.join(PRESETS)}."
        )
    # Deep: callers fill in and edit the sections (levels lists too).
    return copy.deepcopy(PRESETS[name])
