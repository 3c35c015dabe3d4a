"""Sequence tasks that probe memory, each a seeded generator of a ``SequenceBatch``.

- parity     the running parity of a bit stream: a memory of one bit, kept forever
- adding     two marked numbers somewhere in a long stream; answer their sum
- agreement  "the cats that the dog chased ... were": the verb's number depends on a
             noun many words back, with nouns of the other number in between
- continual_reber  a never-ending stream of embedded Reber strings: predict which
             symbols may come next; one step per string needs a long memory

Every batch is time-major like the recurrent layers: xs (T, B, X). A task read once
per sequence (sequence-to-one) gives targets y (B, K) and the step ``at`` (B,) where
each sequence is read; a task read at every step gives y (T, B, K) and ``at = None``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from . import validate
from .seeding import rng_from
from .vocab import encode, one_hot


@dataclass
class SequenceBatch:
    """xs (T, B, X) inputs; y (B, K) or (T, B, K) targets; at (B,) read steps or None."""

    xs: np.ndarray
    y: np.ndarray
    at: np.ndarray | None = None

    def __len__(self) -> int:
        return self.xs.shape[1]

    def take(self, index) -> SequenceBatch:
        """The sub-batch of the sequences in ``index`` (an int array or a slice)."""
        parts = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None:
                parts[field.name] = None
            elif field.name == "xs" or (field.name == "y" and self.at is None):
                parts[field.name] = value[:, index]               # time-major
            elif isinstance(value, np.ndarray):
                parts[field.name] = value[index]
            else:                                                 # a list, one per sequence
                parts[field.name] = [value[k] for k in np.arange(len(self))[index]]
        return type(self)(**parts)


# --- parity ----------------------------------------------------------------------------

def parity(n: int, T: int, *, seed=0) -> SequenceBatch:
    """n random bit streams of length T and their running parity.

    Returns xs (T, n, 1) with bits in {0, 1}; y (T, n, 1), 1.0 where the number of ones
    read so far is odd; at None (read every step). Solving it needs one bit of memory,
    flipped by every 1 and kept across any number of 0s.
    """
    n, T = validate.positive_int("n", n), validate.positive_int("T", T)
    bits = rng_from(seed).integers(0, 2, size=(T, n, 1))
    return SequenceBatch(xs=bits.astype(np.float64), y=(np.cumsum(bits, axis=0) % 2) * 1.0)


# --- adding ----------------------------------------------------------------------------

ADDING_BASELINE_MSE = 1 / 6
"""The MSE of always answering 1: the variance of a sum of two independent U[0, 1]."""


def adding(n: int, T: int, *, second_within: int | None = None, seed=0) -> SequenceBatch:
    """The adding problem (Hochreiter & Schmidhuber 1997; the form of Arjovsky et al. 2016).

    Each step carries a value drawn from U[0, 1] and a marker; exactly two steps are
    marked, one in each half of the sequence. The target is the sum of the two marked
    values, read after the last step. The second marker is equally likely at any step
    of the second half, or, with ``second_within`` = w (1 <= w <= T - T // 2), at any
    of the last w steps; everything else is drawn as without it.

    Returns xs (T, n, 2) = (value, marker); y (n, 1); at (n,) all equal to T − 1.
    """
    n, T = validate.positive_int("n", n), validate.positive_int("T", T)
    if T < 2:
        raise ValueError(f"T: expected at least 2 steps (one marker per half), got {T}")
    half = T // 2
    if second_within is not None:
        second_within = int(validate.in_range(
            "second_within", validate.positive_int("second_within", second_within), 1, T - half))
    rng = rng_from(seed)
    values = rng.uniform(0.0, 1.0, size=(T, n))
    first = rng.integers(0, half, size=n)
    second = rng.integers(half if second_within is None else T - second_within, T, size=n)
    markers = np.zeros((T, n))
    markers[first, np.arange(n)] = 1.0
    markers[second, np.arange(n)] = 1.0
    y = values[first, np.arange(n)] + values[second, np.arange(n)]
    return SequenceBatch(xs=np.stack([values, markers], axis=-1), y=y[:, None],
                         at=np.full(n, T - 1))


# --- agreement -------------------------------------------------------------------------

NOUNS = [("cat", "cats"), ("dog", "dogs"), ("boy", "boys"), ("girl", "girls"),
         ("farmer", "farmers"), ("horse", "horses"), ("teacher", "teachers"),
         ("bird", "birds")]
VERBS = ["chased", "saw", "liked", "followed", "fed", "watched"]       # no number marking
PREPOSITIONS = ["near", "behind", "with"]
FILLERS = ["quietly", "again", "today", "often", "outside", "yesterday", "slowly"]
AGREEMENT_VOCAB = (["the", "that", "."] + [word for pair in NOUNS for word in pair]
                   + VERBS + PREPOSITIONS + FILLERS)
"""Every word a sentence of ``agreement`` can contain; a word's index is its one-hot axis."""


@dataclass
class AgreementBatch(SequenceBatch):
    """A SequenceBatch of sentences cut before their verb, plus what describes each one.

    - words: the sentence's words, a list of n lists of str
    - attractors (n,): intervening nouns whose number differs from the subject's
    - distance (n,): words between the subject noun and the verb (0 if the verb follows it)
    y (n, 1) is 1.0 when the subject is plural (the verb must be "were"), 0.0 for "was".
    """

    words: list | None = None
    attractors: np.ndarray | None = None
    distance: np.ndarray | None = None


def agreement(n: int, *, nouns=(1, 4), filler=(0, 6), p_attractor: float = 0.1,
              context=(0, 8), attractors: int | None = None, seed=0) -> AgreementBatch:
    """n sentences whose verb must agree in number with a subject several words back.

    A sentence is read word by word and cut just before its verb:

        dog fed often . the cats quietly that the dog chased near the boys   -> were

    - first, the tail of an earlier sentence: ``context`` = (min, max) random words
      (nouns of both numbers among them), closed by "." — so the subject is not simply
      the first noun the model reads, and its memory must restart at the ".";
    - "the <subject>", singular or plural with equal odds;
    - ``filler`` = (min, max) filler words ("quietly", "again", ...): distance without
      nouns;
    - ``nouns`` = (min, max) intervening phrases, each bringing one noun: a relative
      clause "that the <noun> <verb>" or a prepositional phrase "near the <noun>".

    Each intervening noun takes the subject's opposite number (is an *attractor*) with
    probability ``p_attractor``. In real text attractors are rare, so with a small
    p_attractor the most recent noun is usually a good guess, and a model may learn that
    shortcut instead of remembering the subject. With ``attractors`` = k instead, every
    sentence has exactly k attractors and the rest of its nouns agree with the subject
    (needs k <= nouns' max).

    Returns an AgreementBatch: xs (T, n, V) one-hot over AGREEMENT_VOCAB, padded with
    zeros after each sentence's end (T is the longest sentence); at (n,) the last
    word's step; y (n, 1); words, attractors and distance as described there.
    """
    n = validate.positive_int("n", n)
    lo_nouns, hi_nouns = _int_range("nouns", nouns)
    lo_fill, hi_fill = _int_range("filler", filler)
    lo_context, hi_context = _int_range("context", context)
    p_attractor = validate.in_range("p_attractor", p_attractor, 0.0, 1.0)
    if attractors is not None:
        attractors = int(validate.in_range("attractors", attractors, 0, hi_nouns))
        lo_nouns = max(lo_nouns, attractors)
    rng = rng_from(seed)
    sentences, plural = [], rng.integers(0, 2, size=n)
    n_attract, subject_at = np.zeros(n, dtype=int), np.zeros(n, dtype=int)
    for k in range(n):
        count = int(rng.integers(lo_nouns, hi_nouns + 1))
        if attractors is None:
            differs = rng.random(count) < p_attractor
        else:
            differs = np.zeros(count, dtype=bool)
            differs[rng.choice(count, size=attractors, replace=False)] = True
        n_attract[k] = differs.sum()
        n_context = int(rng.integers(lo_context, hi_context + 1))
        words = [CONTEXT[j] for j in rng.integers(len(CONTEXT), size=n_context)]
        words += ["."] if n_context else []
        words += ["the", _noun(rng, plural[k])]
        subject_at[k] = len(words) - 1
        words += [FILLERS[j] for j in rng.integers(len(FILLERS),
                                                    size=int(rng.integers(lo_fill, hi_fill + 1)))]
        for d in differs:
            noun = _noun(rng, plural[k] ^ d)
            if rng.random() < 0.5:
                words += ["that", "the", noun, VERBS[rng.integers(len(VERBS))]]
            else:
                words += [PREPOSITIONS[rng.integers(len(PREPOSITIONS))], "the", noun]
        sentences.append(words)
    lengths = np.array([len(words) for words in sentences])
    return AgreementBatch(xs=one_hot_words(sentences), y=plural[:, None] * 1.0,
                          at=lengths - 1, words=sentences, attractors=n_attract,
                          distance=lengths - 1 - subject_at)


CONTEXT = [word for pair in NOUNS for word in pair] + VERBS + FILLERS


def one_hot_words(sentences) -> np.ndarray:
    """Lists of words -> (T, n, V) one-hot over AGREEMENT_VOCAB, zero-padded to the
    longest sentence."""
    known = set(AGREEMENT_VOCAB)
    for words in sentences:
        for word in words:
            if word not in known:
                raise ValueError(f"sentences: expected words from AGREEMENT_VOCAB, got {word!r}")
    T = max(len(words) for words in sentences)
    ids = np.zeros((T, len(sentences)), dtype=np.int64)
    inside = np.zeros((T, len(sentences), 1))
    for b, words in enumerate(sentences):
        ids[:len(words), b] = encode(words, AGREEMENT_VOCAB)
        inside[:len(words), b] = 1.0
    return one_hot(ids, len(AGREEMENT_VOCAB)) * inside


def _noun(rng, plural) -> str:
    return NOUNS[rng.integers(len(NOUNS))][int(plural)]


def _int_range(name, value) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a (min, max) pair of ints, got {value!r}") from None
    if not 0 <= lo <= hi:
        raise ValueError(f"{name}: expected 0 <= min <= max, got ({lo}, {hi})")
    return lo, hi


# --- the continual embedded Reber grammar ----------------------------------------------

REBER_SYMBOLS = "BTPSXVE"
"""The seven symbols of the Reber grammar; a symbol's index is its one-hot axis."""

REBER_GRAPH = {0: (("T", 1), ("P", 2)), 1: (("S", 1), ("X", 3)), 2: (("T", 2), ("V", 4)),
               3: (("X", 2), ("S", 5)), 4: (("P", 3), ("V", 5)), 5: (("E", None),)}
"""Reber's (1967) finite-state grammar: state -> the (symbol, next state) pairs it may
emit, each with equal odds. A string is B, a walk from state 0 until E, and nothing else."""


@dataclass
class ReberBatch(SequenceBatch):
    """A SequenceBatch of symbol streams read at every step, plus:

    - text: each stream as a str of symbols (n strs of length T)
    - recall (n, T) bool, per stream and step: the step's next symbol is the one that
      opened the current embedded string (it follows the inner string's E), so
      predicting it needs a memory reaching back over the whole inner string
    """

    text: list | None = None
    recall: np.ndarray | None = None


def _embedded_reber(rng) -> list:
    """One embedded Reber string, B (T|P) <Reber string> (same T|P) E, as a list of
    (symbol, the symbols allowed next, is a recall step) triples; after its last E a
    continual stream goes on with B."""
    branch = "TP"[rng.integers(2)]
    steps = [("B", "TP", False), (branch, "B", False), ("B", "TP", False)]
    state = 0
    while state is not None:
        options = REBER_GRAPH[state]
        symbol, state = options[rng.integers(len(options))]
        if state is None:                                  # the inner string's E
            steps.append((symbol, branch, True))
        else:
            steps.append((symbol, "".join(s for s, _ in REBER_GRAPH[state]), False))
    return steps + [(branch, "E", False), ("E", "B", False)]


def continual_reber(n: int, T: int, *, seed=0) -> ReberBatch:
    """n streams of T symbols of the continual embedded Reber grammar (Gers,
    Schmidhuber & Cummins 2000): embedded Reber strings one after another with nothing
    in between, so a model reading the stream never gets a fresh start.

    An embedded string is B, then T or P, then a whole Reber string (B ... E), then the
    same T or P again, then E. Each stream starts at a string's B.

    Returns a ReberBatch: xs (T, n, 7) one-hot over REBER_SYMBOLS; y (T, n, 7) with 1.0
    for every symbol allowed to come next (one or two of them); at None (read every
    step); text and recall as described there.
    """
    n, T = validate.positive_int("n", n), validate.positive_int("T", T)
    rng = rng_from(seed)
    xs = np.zeros((T, n, len(REBER_SYMBOLS)))
    y = np.zeros_like(xs)
    recall = np.zeros((n, T), dtype=bool)
    text = []
    for b in range(n):
        steps = []
        while len(steps) < T:
            steps += _embedded_reber(rng)
        for t, (symbol, allowed, needs_memory) in enumerate(steps[:T]):
            xs[t, b, REBER_SYMBOLS.index(symbol)] = 1.0
            for s in allowed:
                y[t, b, REBER_SYMBOLS.index(s)] = 1.0
            recall[b, t] = needs_memory
        text.append("".join(symbol for symbol, _, _ in steps[:T]))
    return ReberBatch(xs=xs, y=y, text=text, recall=recall)
