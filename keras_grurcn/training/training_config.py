import dataclasses

from keras_grurcn.training.strategy import STRATEGIES

OPTIMIZERS = ("adam", "sgd", "rmsprop")
LEARNING_RATE_SCHEDULES = ("constant", "cosine", "plateau")
MIXED_PRECISION_POLICIES = (None, "mixed_float16", "mixed_bfloat16")


@dataclasses.dataclass
class TrainingConfig:
    """Everything `train_and_evaluate` needs besides the model and the data.

    The paper reports mini-batches of 64 videos, a frozen ImageNet CNN and
    model selection on the validation set; it does not give the optimizer
    or the learning rate, so those defaults are ours (docs/decisions.md):
    Adam at 1e-4, divided by 10 when the validation loss stalls for 5
    epochs, early stopping after 10 epochs without improvement.

    Args:
        strategy: the `get_strategy` name: `"auto"`, `"default"`,
            `"mirrored"`, `"multi_worker"` (cluster from `TF_CONFIG`) or
            `"tpu"`.
        tpu_address: the TPU address, for `strategy="tpu"`.
        batch_size: clips per replica and step; the global batch is
            `batch_size * num_replicas` (64 on one device, as in the paper).
        epochs: the most epochs to train.
        steps_per_epoch: steps per epoch; `None` counts full global batches
            in the training dataset (needs a known cardinality).
        optimizer: `"adam"`, `"sgd"` (with `momentum`) or `"rmsprop"`.
        learning_rate: the initial learning rate for one replica.
        scale_learning_rate: multiply `learning_rate` by the number of
            replicas (the linear scaling rule for larger global batches).
        momentum: the SGD momentum.
        weight_decay: decoupled weight decay (`None` for none).
        clipnorm: clip each gradient to this norm (`None` for none).
        lr_schedule: `"constant"`, `"cosine"` (cosine decay to 0 over all
            steps) or `"plateau"` (divide by `lr_decay_factor` after
            `lr_patience` epochs without a better `val_loss`).
        lr_decay_factor: the plateau decay factor, in (0, 1).
        lr_patience: epochs without improvement before a plateau decay.
        early_stopping_patience: epochs without a better `monitor` before
            stopping (`None` disables early stopping).
        monitor: the validation metric for the best checkpoint and early
            stopping: `"val_accuracy"` (higher is better), `"val_loss"`, or
            `"auto"`: accuracy for classifiers, loss for captioners.
        mixed_precision: `None`, `"mixed_float16"` or `"mixed_bfloat16"`
            (the Keras dtype policy used while the model is built).
        jit_compile: compile the train step with XLA.
        seed: the seed for Python, NumPy and TensorFlow
            (`keras.utils.set_random_seed`) and the shuffle.
        deterministic: also make TensorFlow ops deterministic
            (`tf.config.experimental.enable_op_determinism`; slower).
        shuffle_buffer_size: clips in each worker's shuffle buffer for the
            training data, reshuffled every epoch (`0`: the data's own
            order). 64 clips of the paper's percepts (five levels, 10
            frames, float32) take about 1.9 GB; `grurcn train` also reads
            the cache's shards in a new order every epoch.
        num_test_clips: clips averaged per video by `evaluate_multi_clip`
            (25 in the two-stream convention).
        verbose: Keras' `fit` verbosity (0, 1 or 2).

    Examples:

    ```python
    config = keras_grurcn.training.TrainingConfig(batch_size=8, epochs=2)
    config.validate()
    ```
    """

    strategy: str = "auto"
    tpu_address: str | None = None
    batch_size: int = 64
    epochs: int = 100
    steps_per_epoch: int | None = None
    optimizer: str = "adam"
    learning_rate: float = 1e-4
    scale_learning_rate: bool = False
    momentum: float = 0.9
    weight_decay: float | None = None
    clipnorm: float | None = None
    lr_schedule: str = "plateau"
    lr_decay_factor: float = 0.1
    lr_patience: int = 5
    early_stopping_patience: int | None = 10
    monitor: str = "auto"
    mixed_precision: str | None = None
    jit_compile: bool = False
    seed: int = 0
    deterministic: bool = False
    shuffle_buffer_size: int = 64
    num_test_clips: int = 25
    verbose: int = 2

    def validate(self):
        """Raises a `ValueError` naming the first invalid field."""
        _one_of("strategy", self.strategy, STRATEGIES)
        _one_of("optimizer", self.optimizer, OPTIMIZERS)
        _one_of("lr_schedule", self.lr_schedule, LEARNING_RATE_SCHEDULES)
        _one_of("monitor", self.monitor, ("auto", "val_accuracy", "val_loss"))
        _one_of("mixed_precision", self.mixed_precision, MIXED_PRECISION_POLICIES)
        for name in ("batch_size", "epochs", "num_test_clips"):
            _positive_int(name, getattr(self, name))
        for name in ("steps_per_epoch", "early_stopping_patience"):
            if getattr(self, name) is not None:
                _positive_int(name, getattr(self, name))
        _positive_int("lr_patience", self.lr_patience)
        if not self.learning_rate > 0:
            _fail("learning_rate", self.learning_rate, "a number > 0")
        if not 0 < self.lr_decay_factor < 1:
            _fail("lr_decay_factor", self.lr_decay_factor, "a number in (0, 1)")
        if not 0 <= self.momentum < 1:
            _fail("momentum", self.momentum, "a number in [0, 1)")
        for name in ("weight_decay", "clipnorm"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                _fail(name, value, "None or a number > 0")
        if not isinstance(self.shuffle_buffer_size, int) or (
            self.shuffle_buffer_size < 0
        ):
            _fail("shuffle_buffer_size", self.shuffle_buffer_size, "an int >= 0")
        if not isinstance(self.seed, int):
            _fail("seed", self.seed, "an int")
        _one_of("verbose", self.verbose, (0, 1, 2))
        return self

    @classmethod
    def from_dict(cls, values):
        """Builds a validated config; unknown keys raise a `ValueError`."""
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(
                f"TrainingConfig: unknown field(s) {', '.join(unknown)}; "
                f"the fields are {', '.join(sorted(names))}."
            )
        return cls(**values).validate()

    def to_dict(self):
        return dataclasses.asdict(self)


def _fail(name, value, expected):
    raise ValueError(f"TrainingConfig.{name}: expected {expected}; got {value!r}.")


def _one_of(name, value, choices):
    if value not in choices:
        _fail(name, value, "one of " + ", ".join(repr(choice) for choice in choices))


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        _fail(name, value, "an int >= 1")
