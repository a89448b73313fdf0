"""One experiment: the model, the extraction it expects, the data and training.

The schema of `grurcn train --config exp.yaml`, of its `--set KEY=VALUE`
overrides and of the built-in presets (`keras_grurcn/presets.py`), which
are such configs. See `ExperimentConfig`.
"""

import dataclasses
import inspect
import os

from keras_grurcn.training.config_overrides import ConfigError
from keras_grurcn.training.config_overrides import check_keys
from keras_grurcn.training.config_overrides import load_config_file
from keras_grurcn.training.config_overrides import merge_trees
from keras_grurcn.training.config_overrides import parse_override
from keras_grurcn.training.config_overrides import section_from_tree
from keras_grurcn.training.config_overrides import set_dotted
from keras_grurcn.training.config_overrides import typed_value
from keras_grurcn.training.training_config import TrainingConfig

SECTIONS = ("model", "preprocessor", "data", "train", "paper")
# The zoo's RGB + optical-flow model: trained on two caches (`train_two_stream`).
TWO_STREAM = "two_stream"
# build_model arguments the model section does not take: the training
# cache decides the preprocessor and the class names, the Keras `name` is
# the zoo name's, and a captioner's length is `data.max_caption_length`.
_NOT_IN_THE_MODEL_SECTION = (
    "class_names",
    "vocabulary",
    "preprocessor",
    "backbone",
    "backbone_weights",
    "num_frames",
    "image_size",
    "name",
    "caption_length",
    # The two-stream model's flow stream: its flow cache decides them.
    "flow_backbone_weights",
    "num_flow_frames",
    "flow_method",
    "flow_bound",
)


@dataclasses.dataclass
class PreprocessorSection:
    """The percept extraction a model expects (`grurcn extract`'s settings).

    `null` (the default) means whatever the training cache was extracted
    with; a value is checked against the cache's saved preprocessor, so a
    preset is not trained on percepts it was not made for.

    Args:
        backbone: the CNN (`keras_grurcn.percepts.list_backbones()`).
        num_frames: frames per clip.
        image_size: the frames' size, `224` or `[height, width]`.
        flow_method: the two-stream model's flow images (`grurcn extract
            --modality flow --flow-method`): `farneback` or `tvl1`,
            checked against the flow cache.
        flow_bound: their bound (`--flow-bound`), checked likewise.
    """

    backbone: str | None = None
    num_frames: int | None = None
    image_size: int | list | None = None
    flow_method: str | None = None
    flow_bound: float | None = None

    def validate(self):
        if self.num_frames is not None and self.num_frames < 1:
            raise ConfigError(
                f"preprocessor.num_frames: expected an integer >= 1; got "
                f"{self.num_frames}."
            )
        if self.flow_method not in (None, "farneback", "tvl1"):
            raise ConfigError(
                "preprocessor.flow_method: expected farneback, tvl1 or null; got "
                f"{self.flow_method!r}."
            )
        if self.flow_bound is not None and not self.flow_bound > 0:
            raise ConfigError(
                "preprocessor.flow_bound: expected a positive number or null; got "
                f"{self.flow_bound}."
            )
        return self

    def flow_settings(self):
        """`{"flow_method", "flow_bound"}` that are set."""
        return {
            key: getattr(self, key)
            for key in ("flow_method", "flow_bound")
            if getattr(self, key) is not None
        }

    def image_size_pair(self):
        size = self.image_size
        return (
            None
            if size is None
            else list(size if isinstance(size, list) else [size] * 2)
        )


@dataclasses.dataclass
class DataSection:
    """The percept caches an experiment trains and validates on.

    Args:
        data_dir: a folder holding the caches `train/` and `val/` (or
            `test/`), as `grurcn extract --out` wrote them.
        train_cache: the training cache (instead of `data_dir`).
        val_cache: the validation cache (instead of `data_dir`).
        flow_data_dir: the two-stream model: a folder holding the flow
            caches `train/` and `val/` (or `test/`) of the same videos
            (`grurcn extract --modality flow`).
        flow_train_cache: the flow training cache (instead of
            `flow_data_dir`).
        flow_val_cache: the flow validation cache (instead of
            `flow_data_dir`).
        max_caption_length: captioners: the longest caption in tokens,
            `<bos>` and `<eos>` included (Yao et al.: 30).
        vocabulary_min_count: captioners: the fewest times a word must
            occur in the training captions to enter the vocabulary.
    """

    data_dir: str | None = None
    train_cache: str | None = None
    val_cache: str | None = None
    flow_data_dir: str | None = None
    flow_train_cache: str | None = None
    flow_val_cache: str | None = None
    max_caption_length: int = 30
    vocabulary_min_count: int = 1

    def validate(self):
        if self.max_caption_length < 3:
            raise ConfigError(
                "data.max_caption_length: expected an integer >= 3 (<bos>, a "
                f"word, <eos>); got {self.max_caption_length}."
            )
        if self.vocabulary_min_count < 1:
            raise ConfigError(
                "data.vocabulary_min_count: expected an integer >= 1; got "
                f"{self.vocabulary_min_count}."
            )
        return self

    def cache_pair(self):
        """`(train cache, validation cache)`; raises naming what is missing."""
        return _cache_pair(self.data_dir, self.train_cache, self.val_cache, "")

    def flow_cache_pair(self):
        """The flow caches' `(train, validation)`; raises naming what is missing."""
        return _cache_pair(
            self.flow_data_dir, self.flow_train_cache, self.flow_val_cache, "flow_"
        )

    def has_flow_caches(self):
        return any((self.flow_data_dir, self.flow_train_cache, self.flow_val_cache))


def _cache_pair(data_dir, train_cache, val_cache, prefix):
    flag = prefix.replace("_", "-")
    if data_dir:
        train = os.path.join(data_dir, "train")
        val = next(
            (
                os.path.join(data_dir, name)
                for name in ("val", "test")
                if os.path.isdir(os.path.join(data_dir, name))
            ),
            None,
        )
        if not os.path.isdir(train) or val is None:
            raise ConfigError(
                f"--{flag}data-dir (data.{prefix}data_dir) {data_dir!r} must hold "
                "the caches train/ and val/ (or test/)."
            )
        return train, val
    if not (train_cache and val_cache):
        raise ConfigError(
            f"give --{flag}data-dir (data.{prefix}data_dir), or both "
            f"data.{prefix}train_cache and data.{prefix}val_cache."
        )
    return train_cache, val_cache


@dataclasses.dataclass
class ExperimentConfig:
    """What `grurcn train` runs: a model, its extraction, its data, training.

    One schema for the built-in presets (`keras_grurcn/presets.py`), YAML
    files (`grurcn train --config exp.yaml`) and dotted overrides
    (`--set model.hidden_maps=[16,32] --set train.epochs=5`, as Model
    Garden's `--params_override` and MMAction2's `--cfg-options`). The
    sections:

    - `model`: `name` (a zoo model, `keras_grurcn.list_models()`),
      `num_classes` for classifiers (checked against the cache's classes)
      and the model's own `build_model` arguments
      (`keras_grurcn.models.model_arguments(name)`: `levels`,
      `hidden_maps`, `dropout`, ...; `two_stream`'s `flow_weight` is the
      late fusion's weight, a list of weights to choose it from on the
      validation videos, or null for the grid 0, 0.05, ..., 1);
    - `preprocessor`: `PreprocessorSection`, the extraction the model
      expects;
    - `data`: `DataSection`, the caches (and the two-stream model's flow
      caches);
    - `train`: `TrainingConfig` (optimizer, learning-rate schedule,
      epochs, batch size, shuffling, strategy, ...);
    - `paper`: free text (the presets quote the paper's numbers).

    Unknown keys and values of the wrong type are `ConfigError`s that name
    the dotted key and list the valid keys.

    Args:
        model: the `model` section, a dict with `name`.
        preprocessor: a `PreprocessorSection`.
        data: a `DataSection`.
        train: a `TrainingConfig`.
        paper: free text.

    Examples:

    ```python
    experiment = keras_grurcn.training.ExperimentConfig.resolve(
        preset="ucf101_grurcn",
        overrides=["model.hidden_maps=[16,32,32,32,64]", "train.epochs=5"],
    )
    experiment.train.epochs, experiment.model["hidden_maps"][0]  # (5, 16)
    print(experiment.to_yaml())
    ```
    """

    model: dict
    preprocessor: PreprocessorSection = dataclasses.field(
        default_factory=PreprocessorSection
    )
    data: DataSection = dataclasses.field(default_factory=DataSection)
    train: TrainingConfig = dataclasses.field(default_factory=TrainingConfig)
    paper: str = ""

    @classmethod
    def from_tree(cls, tree):
        """The checked experiment a tree of sections (a YAML file's) describes."""
        check_keys("", tree, SECTIONS)
        paper = tree.get("paper") or ""
        experiment = cls(
            model=_model_section(tree.get("model")),
            preprocessor=section_from_tree(
                PreprocessorSection, "preprocessor", tree.get("preprocessor")
            ),
            data=section_from_tree(DataSection, "data", tree.get("data")),
            train=section_from_tree(TrainingConfig, "train", tree.get("train")),
            paper=typed_value("paper", paper, str),
        )
        return experiment.validate()

    @classmethod
    def resolve(cls, *, preset=None, config_file=None, overrides=()):
        """Builds an experiment from layers, each over the one before.

        Args:
            preset: a built-in preset name (`keras_grurcn.list_presets()`),
                or None for the defaults.
            config_file: a YAML file laid over the preset.
            overrides: `"KEY=VALUE"` strings with dotted keys, applied in
                order, last.

        Returns:
            The checked `ExperimentConfig`.
        """
        from keras_grurcn.presets import get_preset

        tree = get_preset(preset) if preset else {}
        if config_file is not None:
            tree = merge_trees(tree, load_config_file(config_file))
        for override in overrides:
            key, value = parse_override(override)
            if key.partition(".")[0] not in SECTIONS:
                check_keys("", {key.partition(".")[0]: None}, SECTIONS)
            tree = set_dotted(tree, key, value)
        if not (tree.get("model") or {}).get("name"):
            raise ConfigError(
                "model.name: no model; give --model, --preset, a --config with "
                "a model: section, or --set model.name=NAME."
            )
        return cls.from_tree(tree)

    def validate(self):
        """Raises a `ConfigError` naming the first invalid key."""
        self.preprocessor.validate()
        self.data.validate()
        if self.model_name != TWO_STREAM:
            if self.data.has_flow_caches():
                raise ConfigError(
                    "data.flow_data_dir (--flow-data-dir): flow caches are for the "
                    f"two-stream model (model.name={TWO_STREAM}), not "
                    f"{self.model_name}."
                )
            if self.preprocessor.flow_settings():
                raise ConfigError(
                    "preprocessor.flow_method, preprocessor.flow_bound: flow images "
                    f"are for the two-stream model (model.name={TWO_STREAM}), not "
                    f"{self.model_name}."
                )
        try:
            self.train.validate()
        except ValueError as error:
            raise ConfigError(str(error).replace("TrainingConfig.", "train.")) from None
        return self

    @property
    def model_name(self):
        return self.model["name"]

    def build_arguments(self):
        """The `build_model` arguments of the `model` section (without `name`)."""
        return {key: value for key, value in self.model.items() if key != "name"}

    def to_tree(self):
        """The experiment as a tree of plain values (what `to_yaml` writes)."""
        preprocessor = dataclasses.asdict(self.preprocessor)
        data = dataclasses.asdict(self.data)
        if self.model_name != TWO_STREAM:
            # The flow keys are the two-stream model's; other runs omit them.
            for key in ("flow_method", "flow_bound"):
                preprocessor.pop(key)
            for key in ("flow_data_dir", "flow_train_cache", "flow_val_cache"):
                data.pop(key)
        return {
            "model": dict(self.model),
            "preprocessor": preprocessor,
            "data": data,
            "train": self.train.to_dict(),
            "paper": self.paper,
        }

    def to_yaml(self):
        import yaml

        return yaml.safe_dump(self.to_tree(), sort_keys=False, default_flow_style=False)

    def save(self, path):
        """Writes `to_yaml()` to `path` (atomically: a rename)."""
        directory = os.path.dirname(os.fspath(path))
        if directory:
            os.makedirs(directory, exist_ok=True)
        partial = f"{path}.partial"
        with open(partial, "w", encoding="utf-8") as file:
            file.write(self.to_yaml())
        os.replace(partial, path)
        return path


def _model_section(values):
    from keras_grurcn.models import list_models
    from keras_grurcn.models import model_arguments
    from keras_grurcn.models import model_task

    if not isinstance(values, dict) or "name" not in values:
        raise ConfigError("model.name: no model given.")
    name = values["name"]
    if name not in list_models():
        raise ConfigError(
            f"model.name: unknown model {name!r}; the models are: "
            f"{', '.join(list_models())}."
        )
    arguments = {
        argument: default
        for argument, default in model_arguments(name).items()
        if argument not in _NOT_IN_THE_MODEL_SECTION
    }
    if model_task(name) != "classification":
        arguments.pop("num_classes", None)
    check_keys("model", values, ["name", *arguments])
    section = {"name": name}
    for key, value in values.items():
        if key != "name":
            section[key] = typed_value(
                f"model.{key}", value, _argument_type(key, arguments[key])
            )
    return section


def _argument_type(argument, default):
    """The type a builder argument's default implies (None and text: any)."""
    import typing

    if argument == "num_classes":
        return int | None
    if argument == "flow_weight":
        # The two-stream model: a weight, the grid to choose it from on the
        # validation videos, or null (the default grid).
        return float | list | None
    if isinstance(default, bool):
        return bool
    if isinstance(default, int):
        return int | list  # kernel sizes may be per dimension
    if isinstance(default, float):
        return float
    if default is inspect.Parameter.empty:
        return typing.Any
    # None or a text default ("same_as_rgb"): the builder checks the value.
    return typing.Any
