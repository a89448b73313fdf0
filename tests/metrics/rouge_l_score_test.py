import pytest

from keras_grurcn.metrics import rouge_l_score
from keras_grurcn.metrics import tokenize_caption
from tests.metrics.coco_reference import official_scores_on_tokens
from tests.metrics.msvd_style_captions import HYPOTHESES
from tests.metrics.msvd_style_captions import REFERENCES


def test_hand_computed_f_score():
    # LCS 3: precision 3/3, recall 3/4, F = (1 + 1.44) * 0.75 / (0.75 + 1.44).
    score, per_video = rouge_l_score(
        [[["a", "man", "is", "cooking"]]], [["a", "man", "cooking"]]
    )
    assert score == pytest.approx(2.44 * 0.75 / 2.19)
    assert per_video == [pytest.approx(score)]


def test_precision_and_recall_are_maximised_over_references_separately():
    references = [[["a", "b"], ["a", "b", "c", "d", "e", "f"]]]
    # Best precision 2/2 (either reference), best recall 2/2 (first one).
    score, _ = rouge_l_score(references, [["a", "b"]])
    assert score == pytest.approx(1.0)
    assert rouge_l_score([[["a"]]], [["b"]])[0] == 0.0
    assert rouge_l_score([[["a"]]], [[]])[0] == 0.0


def test_agrees_with_coco_caption():
    references = [[tokenize_caption(c) for c in REFERENCES[k]] for k in REFERENCES]
    hypotheses = [tokenize_caption(HYPOTHESES[k]) for k in REFERENCES]
    official = official_scores_on_tokens(references, hypotheses)
    assert rouge_l_score(references, hypotheses)[0] == pytest.approx(
        official["ROUGE-L"], abs=1e-9
    )
