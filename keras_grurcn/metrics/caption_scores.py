"""`caption_scores`: the coco-caption metrics for a set of captioned videos."""

import warnings

from keras_grurcn.metrics import coco_java_tools
from keras_grurcn.metrics.bleu_score import bleu_score
from keras_grurcn.metrics.caption_tokenizer import tokenize_caption
from keras_grurcn.metrics.cider_d_score import cider_d_score
from keras_grurcn.metrics.rouge_l_score import rouge_l_score

_TOKENIZERS = ("auto", "ptb", "nltk")
_METEOR_MODES = ("auto", True, False)


def _check_inputs(references, hypotheses):
    if not isinstance(references, dict) or not isinstance(hypotheses, dict):
        raise TypeError(
            "caption_scores expects `references` as {video_id: [str, ...]} and "
            "`hypotheses` as {video_id: str}; got "
            f"{type(references).__name__} and {type(hypotheses).__name__}."
        )
    if not references:
        raise ValueError("caption_scores got no videos: `references` is empty.")
    missing = [key for key in references if key not in hypotheses]
    extra = [key for key in hypotheses if key not in references]
    if missing or extra:
        raise ValueError(
            "`references` and `hypotheses` must have the same video ids; "
            f"without a hypothesis: {missing[:5]}, without references: {extra[:5]}."
        )
    for key, captions in references.items():
        if (
            isinstance(captions, str)
            or not captions
            or not all(isinstance(caption, str) for caption in captions)
        ):
            raise ValueError(
                f"references[{key!r}] must be a non-empty list of caption str; "
                f"got {captions!r}."
            )
        if not isinstance(hypotheses[key], str):
            raise ValueError(
                f"hypotheses[{key!r}] must be one caption str; got {hypotheses[key]!r}."
            )


def caption_scores(references, hypotheses, meteor="auto", tokenizer="auto"):
    """Scores captions with the coco-caption metrics that captioning papers report.

    Keys: `BLEU-1` .. `BLEU-4`, `METEOR`, `ROUGE-L` and `CIDEr` (CIDEr-D, the
    variant coco-caption computes and names "CIDEr"), as fractions like
    coco-caption's (papers print them x100). Captions are lower-cased,
    PTB-tokenised and stripped of punctuation first, as coco-caption does.
    BLEU, ROUGE-L and CIDEr-D are computed in Python and match coco-caption
    (`pycocoevalcap`) on identical tokens. METEOR 1.5 is a Java program: it
    runs from the `pycocoevalcap` jar when `java` is on the PATH; nltk's
    METEOR is a different algorithm and is never substituted for it.

    Args:
        references: `{video_id: [str, ...]}`, the ground-truth captions.
        hypotheses: `{video_id: str}`, one generated caption per video, with
            the same video ids.
        meteor: `"auto"` computes METEOR when Java and `pycocoevalcap` are
            available and otherwise leaves the `METEOR` key out with a
            warning saying why; `True` raises instead of leaving it out;
            `False` skips it silently.
        tokenizer: `"ptb"` runs Stanford's PTBTokenizer jar exactly as
            coco-caption does (needs Java); `"nltk"` uses `tokenize_caption`,
            a pure-Python equivalent; `"auto"` picks `"ptb"` when Java is
            available.

    Returns:
        A dict from metric name to a Python float.

    Examples:

    ```python
    from keras_grurcn.metrics import caption_scores

    references = {"vid1": ["A man is playing a guitar.", "A man plays guitar."]}
    hypotheses = {"vid1": "a man is playing a guitar"}
    caption_scores(references, hypotheses, meteor=False, tokenizer="nltk")
    # {'BLEU-1': 1.0, ..., 'ROUGE-L': 1.0, 'CIDEr': 0.0}
    ```
    """
    _check_inputs(references, hypotheses)
    if tokenizer not in _TOKENIZERS:
        raise ValueError(
            f"`tokenizer` must be one of {_TOKENIZERS}; got {tokenizer!r}."
        )
    if meteor not in _METEOR_MODES:
        raise ValueError(f"`meteor` must be one of {_METEOR_MODES}; got {meteor!r}.")
    java_available, why_not = coco_java_tools.java_scorers_available()
    if not java_available and (meteor is True or tokenizer == "ptb"):
        raise RuntimeError(
            f"METEOR 1.5 and the PTB tokenizer of coco-caption need Java and "
            f"`pycocoevalcap` (`pip install keras-grurcn[captions]`): {why_not}."
        )

    video_ids = list(references)
    captions = [caption for key in video_ids for caption in references[key]]
    captions += [hypotheses[key] for key in video_ids]
    if tokenizer == "ptb" or (tokenizer == "auto" and java_available):
        tokens = coco_java_tools.ptb_tokenize(captions)
    else:
        tokens = [tokenize_caption(caption) for caption in captions]
    reference_tokens, start = [], 0
    for key in video_ids:
        reference_tokens.append(tokens[start : start + len(references[key])])
        start += len(references[key])
    hypothesis_tokens = tokens[start:]

    scores = {}
    for order, score in enumerate(bleu_score(reference_tokens, hypothesis_tokens)):
        scores[f"BLEU-{order + 1}"] = score
    if meteor is True or (meteor == "auto" and java_available):
        scores["METEOR"] = coco_java_tools.meteor_score(
            reference_tokens, hypothesis_tokens
        )[0]
    elif meteor == "auto":
        warnings.warn(
            f"METEOR left out of caption_scores: METEOR 1.5 needs Java and "
            f"`pycocoevalcap` (`pip install keras-grurcn[captions]`), and "
            f"{why_not}. Pass meteor=False to skip it without this warning.",
            stacklevel=2,
        )
    scores["ROUGE-L"] = rouge_l_score(reference_tokens, hypothesis_tokens)[0]
    scores["CIDEr"] = cider_d_score(reference_tokens, hypothesis_tokens)[0]
    return scores
