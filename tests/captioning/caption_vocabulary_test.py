import keras
import numpy as np
import pytest

from keras_grurcn.captioning import CaptionVocabulary

CAPTIONS = ["A man is cooking.", "A man is running!", "A cat sleeps.", "a MAN runs"]


def test_build_counts_words_and_applies_min_count():
    vocabulary = CaptionVocabulary.build(CAPTIONS, min_count=2)
    # "a" x4, "man" x3, "is" x2; the rest appear once. Ties go alphabetically.
    assert vocabulary.words == ["<pad>", "<bos>", "<eos>", "<unk>", "a", "man", "is"]
    assert vocabulary.vocabulary_size == len(vocabulary) == 7
    assert CaptionVocabulary.build(CAPTIONS, max_words=2).words[4:] == ["a", "man"]


def test_encode_adds_bos_eos_padding_and_unk():
    vocabulary = CaptionVocabulary.build(CAPTIONS, min_count=2)
    ids = vocabulary.encode(["A man is sleeping.", "A MAN!"], max_length=8)
    np.testing.assert_array_equal(
        ids, [[1, 4, 5, 6, 3, 2, 0, 0], [1, 4, 5, 2, 0, 0, 0, 0]]
    )
    assert ids.dtype == np.int32
    # Default length fits the longest caption; long ones are cut but keep <eos>.
    assert vocabulary.encode(["a man", "a man is"]).shape == (2, 5)
    np.testing.assert_array_equal(vocabulary.encode("a man is a man", 4), [1, 4, 5, 2])


def test_decode_stops_at_eos_and_skips_bos_and_pad():
    vocabulary = CaptionVocabulary.build(CAPTIONS, min_count=2)
    assert vocabulary.decode([1, 4, 5, 6, 3, 2, 4, 4]) == "a man is <unk>"
    assert vocabulary.decode(np.array([[4, 0, 5, 2], [2, 4, 4, 4]])) == ["a man", ""]
    captions = ["a man is cooking", "a cat sleeps"]
    full = CaptionVocabulary.build(captions)
    assert full.decode(full.encode(captions)) == captions
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vocabulary.decode([4, 99])


def test_config_and_json_round_trip_without_pickles():
    vocabulary = CaptionVocabulary.build(CAPTIONS)
    assert CaptionVocabulary.from_json(vocabulary.to_json()) == vocabulary
    serialized = keras.saving.serialize_keras_object(vocabulary)
    assert serialized["config"] == {"words": vocabulary.words[4:]}
    assert keras.saving.deserialize_keras_object(serialized) == vocabulary


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="special tokens"):
        CaptionVocabulary(["a", "<eos>"])
    with pytest.raises(ValueError, match="repeated"):
        CaptionVocabulary(["a", "a"])
    with pytest.raises(TypeError, match="list of caption str"):
        CaptionVocabulary.build("a man is cooking")
    with pytest.raises(ValueError, match="min_count"):
        CaptionVocabulary.build(CAPTIONS, min_count=0)
    with pytest.raises(ValueError, match="max_length"):
        CaptionVocabulary.build(CAPTIONS).encode("a man", max_length=2)
