"""Corpus BLEU-1..4 as the coco-caption scorer computes it."""


def bleu_score(references, hypotheses, max_order=4):
    """Corpus-level BLEU-1 .. BLEU-`max_order` on tokenised captions.

    coco-caption's BLEU is corpus BLEU with clipped n-gram counts pooled over
    all videos and the brevity penalty taken against, for each hypothesis, the
    reference length closest to it (ties go to the shorter one). That is
    exactly nltk's `corpus_bleu` without smoothing, so this delegates to it.
    The one difference is an order with no matching n-gram at all: nltk
    returns 0 where coco-caption's epsilons give a value below 1e-3.

    Args:
        references: list with, per video, a list of reference token lists.
        hypotheses: list with, per video, one hypothesis token list.
        max_order: the largest n-gram order.

    Returns:
        A list of `max_order` floats: BLEU-1, BLEU-2, ...

    Examples:

    ```python
    from keras_grurcn.metrics import bleu_score

    bleu_score([[["a", "man", "is", "cooking"]]], [["a", "man", "is", "cooking"]])
    # [1.0, 1.0, 1.0, 1.0]
    ```
    """
    import warnings

    from nltk.translate.bleu_score import corpus_bleu

    if len(references) != len(hypotheses):
        raise ValueError(
            f"bleu_score needs one hypothesis per reference set; got "
            f"{len(references)} reference sets and {len(hypotheses)} hypotheses."
        )
    weights = [tuple([1.0 / order] * order) for order in range(1, max_order + 1)]
    with warnings.catch_warnings():
        # nltk warns when an order has no overlap; the score 0 says as much.
        warnings.simplefilter("ignore", UserWarning)
        scores = corpus_bleu(references, hypotheses, weights=weights)
    return [float(score) for score in scores]
