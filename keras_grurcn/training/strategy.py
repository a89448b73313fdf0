import json
import os

STRATEGIES = ("auto", "default", "mirrored", "multi_worker", "tpu")

# A process can join one cluster once: the multi-worker and TPU strategies
# are created once and returned again on later calls.
_CLUSTER_STRATEGIES = {}


def get_strategy(name="auto", tpu_address=None):
    """Returns the `tf.distribute` strategy named by one argument.

    - `"default"`: TensorFlow's default strategy (one device, no
      replication).
    - `"mirrored"`: `tf.distribute.MirroredStrategy` over all local GPUs (or
      the CPU when there are none); synchronous data parallelism.
    - `"multi_worker"`: `tf.distribute.MultiWorkerMirroredStrategy`; the
      cluster and this process' task come from the `TF_CONFIG` environment
      variable, which must be set.
    - `"tpu"`: `tf.distribute.TPUStrategy` on the TPU at `tpu_address`
      (`""`/`None` for a TPU VM's local TPU).
    - `"auto"`: `"multi_worker"` when `TF_CONFIG` names more than one task,
      `"mirrored"` when there is more than one GPU, `"default"` otherwise.

    `MultiWorkerMirroredStrategy` must be created before TensorFlow runs
    anything (building a `tf.data.Dataset` included): call `get_strategy`
    first in a worker's program. The multi-worker and TPU strategies are
    created once per process; later calls return the same object.

    Build and compile the model inside `strategy.scope()`
    (`train_and_evaluate` does), and feed it batches of
    `strategy.num_replicas_in_sync` times the per-replica batch size
    (`distribute_dataset`).

    Args:
        name: one of `"auto"`, `"default"`, `"mirrored"`, `"multi_worker"`,
            `"tpu"`.
        tpu_address: the TPU's gRPC address or name, for `"tpu"` only.

    Returns:
        A `tf.distribute.Strategy`.

    Raises:
        ValueError: for an unknown name, or `"multi_worker"` without a
            valid `TF_CONFIG`.

    Examples:

    ```python
    strategy = keras_grurcn.training.get_strategy("default")
    with strategy.scope():
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    ```
    """
    import tensorflow as tf

    if name not in STRATEGIES:
        raise ValueError(
            f"get_strategy: unknown strategy {name!r}; expected one of "
            f"{', '.join(STRATEGIES)}."
        )
    if name == "auto":
        name = _auto_strategy_name(tf)
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    key = (name, tpu_address)
    if key not in _CLUSTER_STRATEGIES:
        if name == "multi_worker":
            _read_tf_config(required=True)
            _CLUSTER_STRATEGIES[key] = tf.distribute.MultiWorkerMirroredStrategy()
        else:
            resolver = tf.distribute.cluster_resolver.TPUClusterResolver(
                tpu=tpu_address or ""
            )
            tf.config.experimental_connect_to_cluster(resolver)
            tf.tpu.experimental.initialize_tpu_system(resolver)
            _CLUSTER_STRATEGIES[key] = tf.distribute.TPUStrategy(resolver)
    return _CLUSTER_STRATEGIES[key]


def _auto_strategy_name(tf):
    tf_config = _read_tf_config(required=False)
    if tf_config is not None:
        num_tasks = sum(len(tasks) for tasks in tf_config["cluster"].values())
        if num_tasks > 1:
            return "multi_worker"
    if len(tf.config.list_logical_devices("GPU")) > 1:
        return "mirrored"
    return "default"


def _read_tf_config(required):
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        if required:
            raise ValueError(
                "get_strategy('multi_worker'): the TF_CONFIG environment "
                "variable is not set; it must describe the cluster and this "
                'task, e.g. {"cluster": {"worker": ["host1:2222", '
                '"host2:2222"]}, "task": {"type": "worker", "index": 0}}.'
            )
        return None
    try:
        tf_config = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not valid JSON ({error}): {raw!r}") from None
    if not isinstance(tf_config, dict) or not isinstance(
        tf_config.get("cluster"), dict
    ):
        raise ValueError(
            f'TF_CONFIG must be a JSON object with a "cluster" mapping; got {raw!r}.'
        )
    if required and not isinstance(tf_config.get("task"), dict):
        raise ValueError(
            f'TF_CONFIG must name this process\' "task" (type and index); got {raw!r}.'
        )
    return tf_config
