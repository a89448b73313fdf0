"""Caption tokenisation that matches the coco-caption scorer without Java."""

import functools

# The tokens coco-caption's PTBTokenizer wrapper drops after tokenising
# (pycocoevalcap/tokenizer/ptbtokenizer.py, `PUNCTUATIONS`).
COCO_PUNCTUATION = frozenset(
    ["''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-"]
    + [".", "?", "!", ",", ":", "-", "--", "...", ";"]
)

# Stanford's PTBTokenizer escapes brackets; coco-caption lower-cases its output,
# so "(" reaches the scorer as "-lrb-", which is not in its punctuation list and
# therefore counts as a word. Mirror that so n-gram counts agree.
_PTB_BRACKETS = {
    "(": "-lrb-",
    ")": "-rrb-",
    "[": "-lsb-",
    "]": "-rsb-",
    "{": "-lcb-",
    "}": "-rcb-",
}


@functools.lru_cache(maxsize=1)
def _word_tokenizer():
    # NLTKWordTokenizer is the regex Penn Treebank tokenizer behind
    # nltk.word_tokenize, minus the sentence splitter that needs downloaded data.
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


def tokenize_caption(text):
    """Splits a caption into lower-cased Penn Treebank tokens without punctuation.

    This is the tokenisation the coco-caption scorer applies before BLEU,
    METEOR, ROUGE-L and CIDEr (Stanford PTBTokenizer with `-lowerCase`, then
    punctuation removed), reimplemented with nltk's Treebank tokenizer so it
    needs neither Java nor downloaded nltk data. It agrees with the Stanford
    tokenizer on ordinary captions; known differences are rare forms such as
    "!!!" (one token in Stanford's, dropped here), "w/" and "'em".
    `CaptionVocabulary` uses it too, so generated words live in the scorer's
    token space.

    Args:
        text: the caption, a `str`.

    Returns:
        A list of `str` tokens.

    Examples:

    ```python
    from keras_grurcn.metrics import tokenize_caption

    tokenize_caption("A man doesn't play the guitar.")
    # ['a', 'man', 'does', "n't", 'play', 'the', 'guitar']
    ```
    """
    if not isinstance(text, str):
        raise TypeError(
            f"tokenize_caption expects a caption `str`, got {type(text).__name__}: "
            f"{text!r}"
        )
    tokens = _word_tokenizer().tokenize(" ".join(text.lower().split()))
    tokens = [_PTB_BRACKETS.get(token, token) for token in tokens]
    return [token for token in tokens if token not in COCO_PUNCTUATION]
