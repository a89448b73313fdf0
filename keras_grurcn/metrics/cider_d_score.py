"""CIDEr-D as the coco-caption scorer computes it (reported there as "CIDEr")."""

import collections
import math


def _ngram_counts(tokens, max_order):
    counts = collections.Counter()
    for order in range(1, max_order + 1):
        for start in range(len(tokens) - order + 1):
            counts[tuple(tokens[start : start + order])] += 1
    return counts


def cider_d_score(references, hypotheses, max_order=4, sigma=6.0):
    """CIDEr-D over a corpus of videos, matching coco-caption's `Cider` scorer.

    Each caption becomes TF-IDF vectors of its 1..4-grams, with document
    frequencies counted over the reference sets of the corpus being scored
    (so the score of one video depends on the others). Per n-gram order the
    hypothesis is compared with each reference by a cosine similarity in which
    the hypothesis' weights are clipped at the reference's, damped by a
    Gaussian length penalty (`sigma = 6`); the orders are averaged, then the
    references, and the result is multiplied by 10. Like coco-caption, the
    "length" in the penalty counts the caption's bigrams (one fewer than its
    words), and nothing is stemmed.

    Args:
        references: list with, per video, a list of reference token lists.
        hypotheses: list with, per video, one hypothesis token list.
        max_order: the largest n-gram order.
        sigma: width of the Gaussian length penalty.

    Returns:
        A tuple `(mean_score, per_video_scores)`.

    Examples:

    ```python
    from keras_grurcn.metrics import cider_d_score

    references = [[["a", "man", "cooks"]], [["a", "dog", "runs"]]]
    cider_d_score(references, [["a", "man", "cooks"], ["a", "cat"]])
    # (3.75, [7.5, 0.0])
    ```
    """
    if len(references) != len(hypotheses):
        raise ValueError(
            f"cider_d_score needs one hypothesis per reference set; got "
            f"{len(references)} reference sets and {len(hypotheses)} hypotheses."
        )
    reference_counts = [
        [_ngram_counts(reference, max_order) for reference in video_references]
        for video_references in references
    ]
    document_frequency = collections.Counter()
    for video_counts in reference_counts:
        document_frequency.update(
            {ngram for counts in video_counts for ngram in counts}
        )
    log_corpus_size = math.log(float(len(references))) if references else 0.0

    def tfidf(counts):
        vectors = [{} for _ in range(max_order)]
        norms = [0.0] * max_order
        bigram_count = 0
        for ngram, term_frequency in counts.items():
            order = len(ngram) - 1
            weight = term_frequency * (
                log_corpus_size - math.log(max(1.0, document_frequency[ngram]))
            )
            vectors[order][ngram] = weight
            norms[order] += weight**2
            if order == 1:
                bigram_count += term_frequency
        return vectors, [math.sqrt(norm) for norm in norms], bigram_count

    scores = []
    for hypothesis, video_counts in zip(hypotheses, reference_counts):
        vectors, norms, length = tfidf(_ngram_counts(hypothesis, max_order))
        total = [0.0] * max_order
        for counts in video_counts:
            ref_vectors, ref_norms, ref_length = tfidf(counts)
            penalty = math.exp(-((length - ref_length) ** 2) / (2 * sigma**2))
            for order in range(max_order):
                similarity = sum(
                    min(weight, ref_vectors[order].get(ngram, 0.0))
                    * ref_vectors[order].get(ngram, 0.0)
                    for ngram, weight in vectors[order].items()
                )
                if norms[order] and ref_norms[order]:
                    similarity /= norms[order] * ref_norms[order]
                total[order] += similarity * penalty
        scores.append(10.0 * sum(total) / max_order / len(video_counts))
    return sum(scores) / max(len(scores), 1), scores
