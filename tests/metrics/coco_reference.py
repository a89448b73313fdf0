"""The official coco-caption scorer (pycocoevalcap), run the way its eval does."""

import pytest

from keras_grurcn.metrics import java_scorers_available

JAVA_AVAILABLE, JAVA_MISSING_REASON = java_scorers_available()
needs_java = pytest.mark.skipif(
    not JAVA_AVAILABLE, reason=f"coco-caption's Java scorers: {JAVA_MISSING_REASON}"
)


def python_scorers():
    """pycocoevalcap's BLEU, ROUGE-L and CIDEr(-D) classes (no Java needed)."""
    pytest.importorskip("pycocoevalcap", reason="the `captions` extra")
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.rouge.rouge import Rouge

    return Bleu, Rouge, Cider


def official_scores_on_tokens(reference_tokens, hypothesis_tokens):
    """coco-caption's Python scorers on already tokenised captions."""
    bleu, rouge, cider = python_scorers()
    keys = range(len(hypothesis_tokens))
    gts = {k: [" ".join(r) for r in reference_tokens[k]] for k in keys}
    res = {k: [" ".join(hypothesis_tokens[k])] for k in keys}
    bleu_scores, _ = bleu(4).compute_score(gts, res, verbose=0)
    scores = {f"BLEU-{n + 1}": float(s) for n, s in enumerate(bleu_scores)}
    scores["ROUGE-L"] = float(rouge().compute_score(gts, res)[0])
    scores["CIDEr"] = float(cider().compute_score(gts, res)[0])
    return scores


def official_caption_scores(references, hypotheses):
    """coco-caption end to end: PTBTokenizer, then all four scorers with METEOR."""
    from pycocoevalcap.meteor.meteor import Meteor
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    tokenizer = PTBTokenizer()
    gts = tokenizer.tokenize(
        {k: [{"caption": c} for c in v] for k, v in references.items()}
    )
    res = tokenizer.tokenize({k: [{"caption": v}] for k, v in hypotheses.items()})
    keys = list(references)
    scores = official_scores_on_tokens(
        [[c.split() for c in gts[k]] for k in keys], [res[k][0].split() for k in keys]
    )
    meteor = Meteor()
    try:
        scores["METEOR"] = float(meteor.compute_score(gts, res)[0])
    finally:
        meteor.__del__()  # close the jar now, not at garbage collection
    return scores
