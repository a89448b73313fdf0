from keras_grurcn.metrics import ptb_tokenize
from keras_grurcn.metrics import tokenize_caption
from tests.metrics.coco_reference import needs_java
from tests.metrics.msvd_style_captions import HYPOTHESES
from tests.metrics.msvd_style_captions import REFERENCES

TRICKY = [
    "A woman doesn't cut (raw) potatoes.",
    "The cat -- a kitten -- plays with a ball, happily.",
    'He said "hello" to Mr. Smith...',
    "A boy's dog can't jump 3.5 ft: wow?",
    "It's a U.S. flag;   a   t-shirt!",
]


def test_lower_cases_splits_clitics_and_drops_punctuation():
    assert tokenize_caption("A man doesn't play the Guitar, sadly.") == [
        "a", "man", "does", "n't", "play", "the", "guitar", "sadly",
    ]  # fmt: skip
    # coco-caption keeps brackets, as the lower-cased PTB escapes.
    assert tokenize_caption("a (big) dog") == ["a", "-lrb-", "big", "-rrb-", "dog"]
    assert tokenize_caption("") == []


def test_rejects_non_strings():
    import pytest

    with pytest.raises(TypeError, match="caption `str`"):
        tokenize_caption(["a", "list"])


@needs_java
def test_matches_stanford_ptb_tokenizer_used_by_coco_caption():
    captions = TRICKY + list(HYPOTHESES.values())
    captions += [c for refs in REFERENCES.values() for c in refs]
    assert [tokenize_caption(c) for c in captions] == ptb_tokenize(captions)
