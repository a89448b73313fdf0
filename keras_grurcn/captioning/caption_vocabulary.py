"""`CaptionVocabulary`: caption words <-> integer ids, saved with the model."""

import collections
import json

import keras
import numpy as np

from keras_grurcn.metrics.caption_tokenizer import tokenize_caption

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIAL_TOKENS = (PAD, BOS, EOS, UNK)


@keras.saving.register_keras_serializable(package="keras_grurcn")
class CaptionVocabulary:
    """Maps captions to padded id sequences and back.

    Captions are lower-cased and split by `keras_grurcn.metrics.tokenize_caption`
    (nltk's Penn Treebank tokenizer, which needs no downloaded data, with
    punctuation dropped the way the coco-caption scorer drops it). Ids 0-3 are
    `<pad>`, `<bos>`, `<eos>` and `<unk>`; the words follow. The word list is the
    whole state and is returned by `get_config()`, so a layer that keeps the
    vocabulary in its own config (as `AttentionLSTMDecoder` does) saves it
    inside the `.keras` file; `to_json()`/`from_json()` store it on its own.

    Args:
        words: the vocabulary's words in id order (ids 4, 5, ...), without
            the special tokens.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary

    vocabulary = CaptionVocabulary.build(
        ["A man is cooking.", "A man is running!", "A cat sleeps."], min_count=2
    )
    vocabulary.words  # ['<pad>', '<bos>', '<eos>', '<unk>', 'a', 'is', 'man']
    ids = vocabulary.encode(["A man is sleeping."], max_length=8)
    # [[1 4 6 5 3 2 0 0]]
    vocabulary.decode(ids[0])  # 'a man is <unk>'
    ```
    """

    pad_id, bos_id, eos_id, unk_id = 0, 1, 2, 3

    def __init__(self, words):
        if isinstance(words, str) or not all(isinstance(w, str) for w in words):
            raise TypeError(f"`words` must be a list of str; got {words!r:.200}.")
        words = list(words)
        clashes = [word for word in words if word in SPECIAL_TOKENS]
        duplicates = [w for w, n in collections.Counter(words).items() if n > 1]
        if clashes or duplicates:
            raise ValueError(
                "`words` must be unique and must not contain the special tokens "
                f"{SPECIAL_TOKENS}; found special {clashes[:5]}, repeated "
                f"{duplicates[:5]}."
            )
        self._words = words
        self._id_of = {word: index for index, word in enumerate(self.words)}

    @classmethod
    def build(cls, captions, min_count=1, max_words=None):
        """Builds a vocabulary from training captions.

        Args:
            captions: iterable of caption `str`.
            min_count: words seen fewer times become `<unk>`.
            max_words: keep at most this many of the most frequent words.

        Returns:
            A `CaptionVocabulary` ordered by decreasing frequency, ties
            alphabetically (so the same captions always give the same ids).
        """
        if isinstance(captions, str):
            raise TypeError("`captions` must be a list of caption str, not one str.")
        if int(min_count) < 1:
            raise ValueError(f"`min_count` must be >= 1; got {min_count}.")
        counts = collections.Counter()
        for caption in captions:
            counts.update(tokenize_caption(caption))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        words = [w for w, n in ranked if n >= min_count and w not in SPECIAL_TOKENS]
        if max_words is not None:
            words = words[: int(max_words)]
        return cls(words)

    @property
    def words(self):
        """All tokens in id order, special tokens first."""
        return list(SPECIAL_TOKENS) + self._words

    @property
    def vocabulary_size(self):
        return len(SPECIAL_TOKENS) + len(self._words)

    def __len__(self):
        return self.vocabulary_size

    def tokenize(self, caption):
        """Splits one caption into its tokens (`tokenize_caption`)."""
        return tokenize_caption(caption)

    def encode(self, captions, max_length=None):
        """Turns captions into `<bos> w1 .. wn <eos> <pad> ..` id rows.

        Args:
            captions: a caption `str` or a list of them.
            max_length: row length including `<bos>` and `<eos>`; longer
                captions are cut to `max_length - 2` words and still end in
                `<eos>`. Defaults to the longest caption's length.

        Returns:
            An int32 numpy array `[len(captions), max_length]` (`[max_length]`
            for a single caption).
        """
        single = isinstance(captions, str)
        captions = [captions] if single else list(captions)
        rows = [
            [self._id_of.get(token, self.unk_id) for token in tokenize_caption(c)]
            for c in captions
        ]
        if max_length is None:
            max_length = max((len(row) for row in rows), default=0) + 2
        if max_length < 3:
            raise ValueError(
                f"`max_length` must leave room for <bos>, a word and <eos> (>= 3); "
                f"got {max_length}."
            )
        ids = np.full((len(rows), max_length), self.pad_id, dtype="int32")
        for index, row in enumerate(rows):
            row = [self.bos_id] + row[: max_length - 2] + [self.eos_id]
            ids[index, : len(row)] = row
        return ids[0] if single else ids

    def decode(self, ids):
        """Turns id rows back into captions, stopping at the first `<eos>`.

        `<bos>` and `<pad>` are skipped; `<unk>` is kept as the string "<unk>".

        Args:
            ids: one id sequence (list or 1-D array) or a 2-D batch of them.

        Returns:
            A `str`, or a list of `str` for a batch.
        """
        ids = np.asarray(keras.ops.convert_to_numpy(ids))
        if ids.ndim == 2:
            return [self.decode(row) for row in ids]
        if ids.ndim != 1:
            raise ValueError(
                f"decode expects ids of rank 1 or 2; got shape {ids.shape}."
            )
        words = []
        for index in ids.tolist():
            if index == self.eos_id:
                break
            if index in (self.pad_id, self.bos_id):
                continue
            if not 0 <= index < self.vocabulary_size:
                raise ValueError(
                    f"id {index} is outside the vocabulary (size {self.vocabulary_size})."
                )
            words.append(self.words[index])
        return " ".join(words)

    def get_config(self):
        return {"words": list(self._words)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def to_json(self):
        """The vocabulary as a JSON string (`from_json` reads it back)."""
        return json.dumps(self.get_config())

    @classmethod
    def from_json(cls, text):
        return cls.from_config(json.loads(text))

    def __eq__(self, other):
        return isinstance(other, CaptionVocabulary) and self._words == other._words

    def __repr__(self):
        return f"CaptionVocabulary(vocabulary_size={self.vocabulary_size})"
