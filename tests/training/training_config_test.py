import pytest

from keras_grurcn.training import TrainingConfig


def test_defaults_are_valid_and_round_trip():
    config = TrainingConfig()
    assert config.validate() is config
    assert TrainingConfig.from_dict(config.to_dict()) == config
    assert config.batch_size == 64  # the paper's mini-batch of 64 videos


@pytest.mark.parametrize(
    "field, value",
    [
        ("strategy", "horovod"),
        ("batch_size", 0),
        ("batch_size", 2.5),
        ("epochs", True),
        ("steps_per_epoch", -1),
        ("optimizer", "lamb"),
        ("learning_rate", 0.0),
        ("momentum", 1.0),
        ("weight_decay", -1e-4),
        ("clipnorm", 0),
        ("lr_schedule", "exponential"),
        ("lr_decay_factor", 1.5),
        ("lr_patience", 0),
        ("early_stopping_patience", 0),
        ("monitor", "accuracy"),
        ("mixed_precision", "float16"),
        ("seed", "0"),
        ("shuffle_buffer_size", -1),
        ("num_test_clips", 0),
        ("verbose", 3),
    ],
)
def test_validate_names_the_bad_field(field, value):
    config = TrainingConfig(**{field: value})
    with pytest.raises(ValueError, match=rf"TrainingConfig\.{field}: expected"):
        config.validate()


def test_from_dict_rejects_unknown_fields():
    with pytest.raises(ValueError, match="unknown field.*learning_rte"):
        TrainingConfig.from_dict({"learning_rte": 0.1})
