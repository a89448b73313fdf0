import math

import pytest

from keras_grurcn.metrics import cider_d_score
from keras_grurcn.metrics import tokenize_caption
from tests.metrics.coco_reference import official_scores_on_tokens
from tests.metrics.msvd_style_captions import HYPOTHESES
from tests.metrics.msvd_style_captions import REFERENCES


def test_hand_computed_two_video_corpus():
    # "a" is in both videos' references, so its idf is log(2) - log(2) = 0;
    # every other n-gram has idf log(2). Video 1 matches its reference exactly:
    # cosine 1 for orders 1-3 and 0 for the empty 4-grams, mean 3/4, x10.
    # Video 2 shares only "a" (weight 0) with its reference: 0.
    references = [[["a", "man", "cooks"]], [["a", "dog", "runs"]]]
    score, per_video = cider_d_score(references, [["a", "man", "cooks"], ["a", "cat"]])
    assert per_video == pytest.approx([7.5, 0.0])
    assert score == pytest.approx(3.75)


def test_length_penalty_uses_bigram_counts_like_coco_caption():
    references = [[["a", "man", "cooks"]], [["a", "dog", "runs"]]]
    hypotheses = [
        ["man", "cooks", "man", "cooks", "man", "cooks"],
        ["a", "dog", "runs"],
    ]
    _, per_video = cider_d_score(references, hypotheses)
    # Unigrams: hypothesis (3l, 3l) clipped to the reference's (l, l) over
    # norms sqrt(18) l and sqrt(2) l: cosine 1/3. Bigrams: only "man cooks"
    # (3l clipped to l) matches, norms sqrt(9 + 4) l and sqrt(2) l:
    # 1/sqrt(26). No 3- or 4-gram matches. 5 bigrams against 2: the Gaussian
    # length penalty is exp(-3^2 / (2 * 6^2)).
    expected = 10 * math.exp(-9 / 72) * (1 / 3 + 1 / math.sqrt(26)) / 4
    assert per_video[0] == pytest.approx(expected)
    assert per_video[1] == pytest.approx(7.5)


def test_agrees_with_coco_caption():
    references = [[tokenize_caption(c) for c in REFERENCES[k]] for k in REFERENCES]
    hypotheses = [tokenize_caption(HYPOTHESES[k]) for k in REFERENCES]
    official = official_scores_on_tokens(references, hypotheses)
    assert cider_d_score(references, hypotheses)[0] == pytest.approx(
        official["CIDEr"], abs=1e-9
    )
