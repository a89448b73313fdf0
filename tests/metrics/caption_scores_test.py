import pytest

from keras_grurcn.metrics import caption_scores
from keras_grurcn.metrics import coco_java_tools
from tests.metrics.coco_reference import needs_java
from tests.metrics.coco_reference import official_caption_scores
from tests.metrics.coco_reference import official_scores_on_tokens
from tests.metrics.coco_reference import python_scorers
from tests.metrics.msvd_style_captions import HYPOTHESES
from tests.metrics.msvd_style_captions import REFERENCES

# The tolerances of the issue: what "agrees with coco-caption" means.
TOLERANCE = {"BLEU-1": 0.005, "BLEU-2": 0.005, "BLEU-3": 0.005, "BLEU-4": 0.005}
TOLERANCE.update({"ROUGE-L": 0.005, "CIDEr": 0.005, "METEOR": 0.01})


@pytest.fixture
def without_java(monkeypatch):
    monkeypatch.setattr(
        coco_java_tools, "java_scorers_available", lambda: (False, "no java here")
    )


@needs_java
def test_agrees_with_official_coco_caption_scorer():
    ours = caption_scores(REFERENCES, HYPOTHESES)
    official = official_caption_scores(REFERENCES, HYPOTHESES)
    assert set(ours) == set(TOLERANCE)
    for name, tolerance in TOLERANCE.items():
        assert ours[name] == pytest.approx(official[name], abs=tolerance), name
    # The scores are those of real, imperfect captions, not degenerate values.
    assert 0.3 < ours["BLEU-4"] < 0.95 and 0.2 < ours["METEOR"] < 0.8


def test_pure_python_path_agrees_with_coco_caption(without_java):
    python_scorers()
    ours = caption_scores(REFERENCES, HYPOTHESES, meteor=False)
    assert "METEOR" not in ours
    # The official scorer on Stanford's tokens is checked above; here its
    # Python scorers run on our tokens of the same captions.
    from keras_grurcn.metrics import tokenize_caption

    official = official_scores_on_tokens(
        [[tokenize_caption(c) for c in REFERENCES[k]] for k in REFERENCES],
        [tokenize_caption(HYPOTHESES[k]) for k in REFERENCES],
    )
    for name in official:
        assert ours[name] == pytest.approx(official[name], abs=TOLERANCE[name]), name


def test_without_java_meteor_is_left_out_with_a_warning(without_java):
    with pytest.warns(UserWarning, match="METEOR left out.*no java here"):
        scores = caption_scores({"v": ["a man is cooking"]}, {"v": "a man cooks"})
    assert "METEOR" not in scores and "CIDEr" in scores
    with pytest.raises(RuntimeError, match="need Java"):
        caption_scores({"v": ["a man"]}, {"v": "a man"}, meteor=True)
    with pytest.raises(RuntimeError, match="need Java"):
        caption_scores({"v": ["a man"]}, {"v": "a man"}, meteor=False, tokenizer="ptb")


def test_perfect_caption_scores(without_java):
    scores = caption_scores(
        {"v1": ["A man is cooking.", "Someone cooks."], "v2": ["A cat sleeps!"]},
        {"v1": "a man is cooking", "v2": "A cat sleeps"},
        meteor=False,
    )
    for order in range(1, 4):
        assert scores[f"BLEU-{order}"] == pytest.approx(1.0)
    assert scores["ROUGE-L"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "references, hypotheses, error",
    [
        ({}, {}, "empty"),
        ({"v1": ["a"]}, {"v2": "a"}, "same video ids"),
        ({"v1": "a man"}, {"v1": "a"}, r"references\['v1'\]"),
        ({"v1": []}, {"v1": "a"}, "non-empty list"),
        ({"v1": ["a"]}, {"v1": ["a"]}, r"hypotheses\['v1'\] must be one caption"),
        ([["a"]], ["a"], "expects `references` as"),
    ],
)
def test_bad_inputs_name_the_problem(references, hypotheses, error):
    with pytest.raises((ValueError, TypeError), match=error):
        caption_scores(references, hypotheses, meteor=False, tokenizer="nltk")


def test_bad_options_are_rejected():
    with pytest.raises(ValueError, match="`tokenizer` must be one of"):
        caption_scores({"v": ["a"]}, {"v": "a"}, tokenizer="spacy")
    with pytest.raises(ValueError, match="`meteor` must be one of"):
        caption_scores({"v": ["a"]}, {"v": "a"}, meteor="nltk")
