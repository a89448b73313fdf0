"""`grurcn train` for captioners: teacher forcing on a captioned percept cache."""

import os


def caption_pairs(
    cache, vocabulary, batch_size, levels, max_length, shuffle=False, seed=0
):
    """`({level: percepts, "tokens": ids[:-1]}, ids[1:])` batches from a cache.

    One element per (clip, reference caption) pair, as the caption models
    of the MSVD literature train; captions are encoded with `vocabulary`
    (`<bos> ... <eos>`, padded or cut to `max_length`).
    """
    import numpy as np
    import tensorflow as tf

    from keras_grurcn import data

    def encode(captions):
        texts = [caption.decode() for caption in captions]
        return vocabulary.encode(texts, max_length=max_length).astype(np.int32)

    def teacher_forcing(percepts, captions):
        ids = tf.numpy_function(encode, [captions], tf.int32)
        ids.set_shape([None, max_length])
        return {**percepts, "tokens": ids[:, :-1]}, ids[:, 1:]

    dataset = data.percept_dataset(
        cache, batch_size, levels=levels, target="caption", shuffle=shuffle, seed=seed
    )
    return dataset.map(teacher_forcing, num_parallel_calls=tf.data.AUTOTUNE)


def train_captioner(
    name, build, config, extraction, train_cache, val_cache, workdir, max_length=30
):
    """Builds the vocabulary from the training captions, trains, saves.

    Writes `final.keras` (the best weights by validation loss) and the
    usual `history.csv`, `backup/` (resumable) and `checkpoints/` into
    `workdir`; returns `(model, {"loss": ..., "accuracy": ...})` on the
    validation pairs.
    """
    import keras

    from keras_grurcn import data
    from keras_grurcn import models
    from keras_grurcn.captioning import CaptionVocabulary
    from keras_grurcn.captioning import compile_caption_model
    from keras_grurcn.training import build_callbacks
    from keras_grurcn.training import get_strategy

    keras.utils.set_random_seed(config.seed)
    texts = [
        caption.decode()
        for _, captions in data.percept_dataset(train_cache, 256, target="caption")
        for caption in captions.numpy()
    ]
    if not texts:
        raise ValueError(f"{train_cache} holds no captions; captioners need them.")
    vocabulary = CaptionVocabulary.build(texts, min_count=build.pop("min_count", 1))
    model = models.build_model(
        name,
        vocabulary=vocabulary,
        inputs="percepts",
        backbone=extraction["backbone"],
        backbone_weights=None,
        num_frames=extraction["num_frames"],
        image_size=(extraction["image_size"],) * 2,
        caption_length=max_length - 1,
        **build,
    )
    compile_caption_model(
        model,
        vocabulary,
        keras.optimizers.Adam(config.learning_rate),
        jit_compile=config.jit_compile,
    )
    levels = build["levels"]
    train = caption_pairs(
        train_cache,
        vocabulary,
        config.batch_size,
        levels,
        max_length,
        True,
        config.seed,
    )
    val = caption_pairs(val_cache, vocabulary, config.batch_size, levels, max_length)
    config.monitor = "val_loss"
    os.makedirs(workdir, exist_ok=True)
    callbacks = build_callbacks(config, workdir, get_strategy("default"))
    model.fit(
        train,
        validation_data=val,
        epochs=config.epochs,
        callbacks=callbacks,
        shuffle=False,
        verbose=config.verbose,
    )
    metrics = model.evaluate(val, return_dict=True, verbose=0)
    model.save(os.path.join(workdir, "final.keras"))
    return model, {key: float(value) for key, value in metrics.items()}
