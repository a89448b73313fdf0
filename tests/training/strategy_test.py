import json

import pytest
import tensorflow as tf

from keras_grurcn.training import get_strategy
from keras_grurcn.training.strategy import _auto_strategy_name


def test_default_strategy_is_tensorflows_default():
    strategy = get_strategy("default")
    assert strategy is tf.distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1


def test_mirrored_strategy_uses_the_local_devices():
    strategy = get_strategy("mirrored")
    assert isinstance(strategy, tf.distribute.MirroredStrategy)


def test_unknown_name_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown strategy 'horovod'"):
        get_strategy("horovod")


def test_multi_worker_without_tf_config_says_what_to_set(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(ValueError, match="TF_CONFIG environment variable is not set"):
        get_strategy("multi_worker")


def test_multi_worker_with_malformed_tf_config(monkeypatch):
    monkeypatch.setenv("TF_CONFIG", "{not json")
    with pytest.raises(ValueError, match="TF_CONFIG is not valid JSON"):
        get_strategy("multi_worker")
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": {"worker": ["a:1"]}}))
    with pytest.raises(ValueError, match='"task"'):
        get_strategy("multi_worker")


def test_auto_picks_multi_worker_only_for_a_real_cluster(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    assert _auto_strategy_name(tf) == "default"
    one_task = {"cluster": {"worker": ["localhost:1"]}, "task": {"index": 0}}
    monkeypatch.setenv("TF_CONFIG", json.dumps(one_task))
    assert _auto_strategy_name(tf) == "default"
    two_tasks = {
        "cluster": {"worker": ["localhost:1", "localhost:2"]},
        "task": {"type": "worker", "index": 0},
    }
    monkeypatch.setenv("TF_CONFIG", json.dumps(two_tasks))
    assert _auto_strategy_name(tf) == "multi_worker"
