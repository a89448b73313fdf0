"""ROUGE-L as the coco-caption scorer computes it."""


def _longest_common_subsequence(first, second):
    previous = [0] * (len(second) + 1)
    for first_token in first:
        current = [0]
        for index, second_token in enumerate(second):
            if first_token == second_token:
                current.append(previous[index] + 1)
            else:
                current.append(max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


def rouge_l_score(references, hypotheses, beta=1.2):
    """Mean sentence-level ROUGE-L F-score over videos, as in coco-caption.

    For each video, precision and recall of the longest common subsequence
    are each maximised over the references independently, then combined as
    `(1 + beta^2) P R / (R + beta^2 P)` with coco-caption's `beta = 1.2`.

    Args:
        references: list with, per video, a list of reference token lists.
        hypotheses: list with, per video, one hypothesis token list.
        beta: recall weight of the F-score.

    Returns:
        A tuple `(mean_score, per_video_scores)`.

    Examples:

    ```python
    from keras_grurcn.metrics import rouge_l_score

    rouge_l_score([[["a", "man", "is", "cooking"]]], [["a", "man", "cooking"]])
    # (0.8356..., [0.8356...])
    ```
    """
    if len(references) != len(hypotheses):
        raise ValueError(
            f"rouge_l_score needs one hypothesis per reference set; got "
            f"{len(references)} reference sets and {len(hypotheses)} hypotheses."
        )
    scores = []
    for video_references, hypothesis in zip(references, hypotheses):
        best_precision = best_recall = 0.0
        for reference in video_references:
            common = _longest_common_subsequence(reference, hypothesis)
            if common:
                best_precision = max(best_precision, common / len(hypothesis))
                best_recall = max(best_recall, common / len(reference))
        if best_precision and best_recall:
            scores.append(
                (1 + beta**2)
                * best_precision
                * best_recall
                / (best_recall + beta**2 * best_precision)
            )
        else:
            scores.append(0.0)
    return sum(scores) / max(len(scores), 1), scores
