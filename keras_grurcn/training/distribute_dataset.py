def global_batch_size(per_replica_batch_size, strategy):
    """The batch size of one synchronous step over all replicas.

    Args:
        per_replica_batch_size: clips per replica (device) and step.
        strategy: a `tf.distribute.Strategy`.

    Returns:
        `per_replica_batch_size * strategy.num_replicas_in_sync`.

    Examples:

    ```python
    strategy = keras_grurcn.training.get_strategy("default")
    keras_grurcn.training.distribute_dataset.global_batch_size(8, strategy)  # 8 on one device
    ```
    """
    return per_replica_batch_size * strategy.num_replicas_in_sync


def distribute_dataset(
    dataset,
    strategy,
    per_replica_batch_size,
    *,
    shuffle_buffer_size=0,
    seed=None,
    full_batches_only=False,
    repeat=False,
):
    """Shards a dataset of single clips per worker and batches it per replica.

    Uses `strategy.distribute_datasets_from_function`, the `tf.distribute`
    input pipeline: each worker (input pipeline) keeps every n-th element
    (`Dataset.shard` over the workers, so workers never see the same clip in
    one epoch), shuffles its shard, and batches it with the per-replica
    batch size; every step then consumes `global_batch_size(...)` clips over
    all replicas. Keras' `fit`/`evaluate` accept the result directly.

    With several replicas, a last partial global batch leaves some replicas
    an *empty* batch, which TensorFlow's CPU convolutions reject (measured:
    `Conv2D`/`Conv3D` on a batch of 0 fail or return the wrong shape), and
    workers whose shards differ in length would wait on each other.
    `full_batches_only` avoids both: every worker keeps exactly its share of
    `len(dataset) // global_batch` full global batches.

    Args:
        dataset: a `tf.data.Dataset` of *unbatched* `(inputs, labels)`
            elements (one clip each).
        strategy: the `tf.distribute.Strategy` the model was built under.
        per_replica_batch_size: clips per replica and step.
        shuffle_buffer_size: per-worker shuffle buffer; `0` keeps the order.
        seed: the shuffle seed (reshuffled every epoch).
        full_batches_only: drop the clips of the last, partial global batch
            (needs a known dataset cardinality for the multi-worker
            guarantee; otherwise each replica drops its partial batch).
        repeat: repeat the batches forever; `fit`/`evaluate` then need
            `steps` (one pass is `count_steps(...)` steps). Keras stops a
            distributed dataset of unknown length one step late, which
            skews the metrics (measured: an empty extra step counted in the
            mean), so give it the steps.

    Returns:
        A distributed dataset.

    Examples:

    ```python
    strategy = keras_grurcn.training.get_strategy("default")
    clips = tf.data.Dataset.from_tensor_slices(
        (np.zeros((8, 2, 16, 16, 3), "uint8"), np.zeros(8, "int32"))
    )
    batches = keras_grurcn.training.distribute_dataset.distribute_dataset(clips, strategy, 4)
    ```
    """
    import tensorflow as tf

    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(
            "distribute_dataset: `dataset` must be a tf.data.Dataset of "
            f"unbatched (inputs, labels) elements; got {type(dataset).__name__}."
        )
    if per_replica_batch_size < 1:
        raise ValueError(
            "distribute_dataset: `per_replica_batch_size` must be >= 1; got "
            f"{per_replica_batch_size}."
        )
    global_batch = global_batch_size(per_replica_batch_size, strategy)
    # Keras reduces the first batch across replicas to build a model made
    # under a strategy (`_maybe_symbolic_build`); the collective reduce of
    # MultiWorkerMirroredStrategy rejects uint8 (measured), so integer
    # inputs become float32 (exact for pixel values) under any non-default
    # strategy.
    cast_integers = tf.distribute.has_strategy() or (
        strategy is not tf.distribute.get_strategy()
    )

    def dataset_fn(input_context):
        batches = worker_dataset(
            dataset,
            input_context,
            global_batch,
            shuffle_buffer_size=shuffle_buffer_size,
            seed=seed,
            full_batches_only=full_batches_only,
            repeat=repeat,
        )
        if cast_integers:
            batches = batches.map(_integer_inputs_to_float32)
        return batches

    return strategy.distribute_datasets_from_function(dataset_fn)


def _integer_inputs_to_float32(inputs, *rest):
    import tensorflow as tf

    def to_float(tensor):
        if tensor.dtype.is_integer:
            return tf.cast(tensor, tf.float32)
        return tensor

    return (tf.nest.map_structure(to_float, inputs), *rest)


def worker_dataset(
    dataset,
    input_context,
    global_batch,
    *,
    shuffle_buffer_size=0,
    seed=None,
    full_batches_only=False,
    repeat=False,
):
    """One worker's input pipeline (the `dataset_fn` of `distribute_dataset`).

    Args:
        dataset: a `tf.data.Dataset` of unbatched elements.
        input_context: the `tf.distribute.InputContext` of this worker.
        global_batch: elements per step over all replicas.
        shuffle_buffer_size, seed, full_batches_only, repeat: see
            `distribute_dataset`.

    Returns:
        This worker's shard, batched with the per-replica batch size.

    Examples:

    ```python
    context = tf.distribute.InputContext(
        num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1
    )
    batches = keras_grurcn.training.distribute_dataset.worker_dataset(tf.data.Dataset.range(10), context, 4)
    ```
    """
    import tensorflow as tf

    num_workers = input_context.num_input_pipelines
    num_elements = _known_cardinality(dataset)
    if num_workers > 1:
        dataset = dataset.shard(num_workers, input_context.input_pipeline_id)
    if full_batches_only and num_elements is not None:
        dataset = dataset.take(
            (num_elements // global_batch) * global_batch // num_workers
        )
    if shuffle_buffer_size:
        dataset = dataset.shuffle(shuffle_buffer_size, seed=seed)
    batch_size = input_context.get_per_replica_batch_size(global_batch)
    dataset = dataset.batch(batch_size, drop_remainder=full_batches_only)
    if repeat:
        # After batching, so every pass ends with the same batches (and is
        # reshuffled): `steps` batches per epoch are exactly one pass.
        dataset = dataset.repeat()
    return dataset.prefetch(tf.data.AUTOTUNE)


def count_steps(dataset, per_replica_batch_size, strategy, full_batches_only=True):
    """Steps in one pass over `dataset`, or `None` if its length is unknown.

    With `full_batches_only`, the full global batches (what
    `distribute_dataset(..., full_batches_only=True)` yields on every
    worker); otherwise every batch, the last one partial.

    Raises:
        ValueError: when the dataset holds less than one global batch.

    Examples:

    ```python
    strategy = keras_grurcn.training.get_strategy("default")
    clips = tf.data.Dataset.range(10)
    keras_grurcn.training.distribute_dataset.count_steps(clips, 4, strategy)  # 2 full batches
    ```
    """
    num_clips = _known_cardinality(dataset)
    if num_clips is None:
        return None
    global_batch = global_batch_size(per_replica_batch_size, strategy)
    if num_clips < global_batch and full_batches_only:
        raise ValueError(
            f"The dataset has {num_clips} clips, fewer than one global "
            f"batch ({per_replica_batch_size} per replica x "
            f"{strategy.num_replicas_in_sync} replicas = {global_batch})."
        )
    if full_batches_only:
        return num_clips // global_batch
    return -(-num_clips // global_batch)


def _known_cardinality(dataset):
    import tensorflow as tf

    num_elements = int(dataset.cardinality())
    if num_elements in (tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY):
        return None
    return num_elements
