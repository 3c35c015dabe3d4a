"""Symbols as vectors: one convention for unknown symbols, one one-hot.

Every vocabulary in the course keeps its unknown symbol at index 0 (``UNK_ID``): a
symbol outside it (a character like "é" for the character model, a word like "zebra"
for notebook 03's toy word list) is read as index 0. ``encode`` turns symbols into
indices by that rule, ``one_hot`` turns indices into rows of the identity: the
character model, the agreement task and the toy word list all go through it.

- ``UNK_ID``, ``encode``, ``one_hot``
- ``UNK``, ``TOY_VOCAB``, ``tokenize``, ``one_hot_words``  notebook 03's words
"""

from __future__ import annotations

import re

import numpy as np

from . import validate

UNK_ID = 0
"""The index every vocabulary gives its unknown symbol."""


def encode(symbols, vocab) -> np.ndarray:
    """Symbols (a str of characters, or a list of words) -> (len,) int64 indices into
    ``vocab``; a symbol not in vocab becomes UNK_ID."""
    index = {symbol: k for k, symbol in enumerate(vocab)}
    return np.fromiter((index.get(s, UNK_ID) for s in symbols), dtype=np.int64,
                       count=len(symbols))


def one_hot(ids, size: int, dtype=np.float64) -> np.ndarray:
    """ids (...) integers in [0, size) -> (..., size): a 1 at each id, 0 elsewhere."""
    size = validate.positive_int("size", size)
    ids = np.asarray(ids)
    if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= size):
        raise ValueError(f"ids: expected integers in [0, {size}), got dtype {ids.dtype}, "
                         f"min {ids.min()}, max {ids.max()}")
    return np.eye(size, dtype=dtype)[ids.astype(np.int64)]


UNK = "<unk>"
"""The token every word outside the vocabulary is read as."""


TOY_VOCAB = (UNK, "the", "a", "dog", "dogs", "cat", "cats", "man", "woman", "bites", "bite",
             "sees", "saw", "chased", "that", "was", "were", "tired", "all", "day", "she",
             "he", "sat", "by", "river", "bank", "put", "money", "in", "savings")
"""The word list of notebook 03: word k is the one-hot vector with a 1 in slot k."""


def tokenize(text: str, max_words: int | None = None) -> list[str]:
    """Lower-cased words of ``text`` (letters, digits and apostrophes), at most max_words."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__}")
    words = re.findall(r"[\w']+", text.lower())
    return words if max_words is None else words[:validate.positive_int("max_words", max_words)]


def one_hot_words(words, vocab=TOY_VOCAB) -> np.ndarray:
    """Words -> xs (T, V): row t is 1 in the slot of word t (UNK's slot, 0, if it is
    unknown). T = 0 gives an empty (0, V) array. ``vocab`` must start with UNK."""
    if not vocab or vocab[0] != UNK:
        raise ValueError(f"vocab: expected it to start with {UNK!r}")
    return one_hot(encode(words, vocab), len(vocab))
