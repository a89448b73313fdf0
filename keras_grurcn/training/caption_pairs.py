"""Teacher-forcing examples for a captioner, from a captioned percept cache."""


def caption_training_pairs(
    cache_dir, vocabulary, levels=None, max_length=30, **options
):
    """`({level: percepts, "tokens": ids[:-1]}, ids[1:])`, one per caption.

    One example per (clip, reference caption) pair, as the caption models
    of the MSVD literature train; captions are encoded with `vocabulary`
    (`<bos> ... <eos>`, padded or cut to `max_length`). Unbatched, for
    `train_and_evaluate` (which batches per replica) or `.batch(n)`.

    Args:
        cache_dir: a percept cache with captions.
        vocabulary: the `CaptionVocabulary`.
        levels: the percept levels the captioner reads (default: all).
        max_length: caption length, `<bos>` and `<eos>` included.
        **options: `percept_dataset` options (`shuffle`, `seed`).

    Returns:
        A `tf.data.Dataset` with a known length (the number of captions).

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary

    frames, labels, captions = keras_grurcn.data.make_captioned_motion_clips(
        4, num_frames=2
    )
    def extractor(frames):  # Any callable: mean colour per frame.
        return {"colour": frames.mean(axis=(2, 3), keepdims=True)}

    keras_grurcn.data.write_percept_cache(
        (frames, labels, captions), extractor, "/tmp/captioned", progress=False
    )
    vocabulary = CaptionVocabulary.build([c for clip in captions for c in clip])
    pairs = keras_grurcn.training.caption_training_pairs(
        "/tmp/captioned", vocabulary, max_length=8
    )
    inputs, targets = next(iter(pairs))  # inputs["tokens"], targets: (7,)
    ```
    """
    import numpy as np
    import tensorflow as tf

    from keras_grurcn.data.percept_cache_format import read_cache_info
    from keras_grurcn.data.percept_dataset import percept_dataset

    def encode(captions):
        texts = [caption.decode() for caption in captions]
        return vocabulary.encode(texts, max_length=max_length).astype(np.int32)

    def teacher_forcing(percepts, captions):
        ids = tf.numpy_function(encode, [captions], tf.int32)
        ids.set_shape([None, max_length])
        return {**percepts, "tokens": ids[:, :-1]}, ids[:, 1:]

    count = read_cache_info(cache_dir)["num_captions"]
    dataset = percept_dataset(
        cache_dir, 256, levels=levels, target="caption", **options
    )
    dataset = dataset.map(teacher_forcing, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.unbatch().apply(tf.data.experimental.assert_cardinality(count))


def caption_texts(cache_dir):
    """Every reference caption of a cache, for building the vocabulary."""
    from keras_grurcn.data.percept_dataset import percept_dataset

    return [
        caption.decode()
        for _, captions in percept_dataset(cache_dir, 256, target="caption")
        for caption in captions.numpy()
    ]
