import math

import pytest

from keras_grurcn.metrics import bleu_score
from keras_grurcn.metrics import tokenize_caption
from tests.metrics.coco_reference import official_scores_on_tokens
from tests.metrics.msvd_style_captions import HYPOTHESES
from tests.metrics.msvd_style_captions import REFERENCES


def test_hand_computed_precisions():
    # 4/5 unigrams, 3/4 bigrams, 2/3 trigrams, 1/2 4-grams match; the
    # hypothesis is longer than the reference, so no brevity penalty.
    scores = bleu_score(
        [[["a", "man", "is", "cooking"]]], [["a", "man", "is", "cooking", "food"]]
    )
    expected = [0.8, (0.8 * 0.75) ** 0.5, (0.8 * 0.75 * 2 / 3) ** (1 / 3), 0.2**0.25]
    assert scores == pytest.approx(expected)


def test_brevity_penalty_uses_closest_reference_length():
    references = [[["a", "man", "is", "cooking"], ["a", "man", "cooks"]]]
    scores = bleu_score(references, [["a", "man"]])
    # Closest reference has 3 words: BP = exp(1 - 3 / 2).
    assert scores[0] == pytest.approx(math.exp(1 - 3 / 2))
    assert scores[1] == pytest.approx(math.exp(1 - 3 / 2))


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="one hypothesis per reference set"):
        bleu_score([[["a"]]], [])


def test_agrees_with_coco_caption():
    references = [[tokenize_caption(c) for c in REFERENCES[k]] for k in REFERENCES]
    hypotheses = [tokenize_caption(HYPOTHESES[k]) for k in REFERENCES]
    official = official_scores_on_tokens(references, hypotheses)
    for order, score in enumerate(bleu_score(references, hypotheses)):
        assert score == pytest.approx(official[f"BLEU-{order + 1}"], abs=1e-6)
