"""The continual embedded Reber grammar, checked against the grammar written another way
(a regular expression) and against what many sampled streams actually do next."""

import re
from collections import defaultdict

import numpy as np
import pytest

from lstm_lib import tasks

# Reber's grammar as a regular expression, read off its diagram: from the state after
# "TS*X" (or "PT*VP") a string may loop through "XT*VP" and ends with "S" or "XT*VV".
AFTER_X = r"(?:XT*VP)*(?:S|XT*VV)"
REBER = rf"B(?:TS*X{AFTER_X}|PT*V(?:P{AFTER_X}|V))E"
EMBEDDED = re.compile(rf"B(?:T{REBER}T|P{REBER}P)E")


def _strings(text):
    """Split a stream that starts at a string's B into its embedded strings (each ends
    with the E that follows its closing T or P); the unfinished tail is dropped."""
    return re.findall(r"B[TP]B.*?E[TP]E", text)


def test_shapes_one_hot_and_repeatable():
    batch = tasks.continual_reber(4, 50, seed=3)
    assert batch.xs.shape == batch.y.shape == (50, 4, 7) and batch.at is None
    assert batch.recall.shape == (4, 50) and batch.recall.dtype == bool
    assert np.array_equal(batch.xs.sum(axis=2), np.ones((50, 4)))
    symbols = np.array(list(tasks.REBER_SYMBOLS))
    assert ["".join(symbols[batch.xs[:, b].argmax(axis=1)]) for b in range(4)] == batch.text
    again = tasks.continual_reber(4, 50, seed=3)
    assert np.array_equal(batch.xs, again.xs) and np.array_equal(batch.y, again.y)
    assert batch.text != tasks.continual_reber(4, 50, seed=4).text


def test_every_string_is_in_the_grammar_and_strings_follow_each_other():
    batch = tasks.continual_reber(20, 400, seed=0)
    for text in batch.text:
        parts = _strings(text)
        assert len(parts) >= 5 and text.startswith("".join(parts))
        assert all(EMBEDDED.fullmatch(part) for part in parts), parts
    both = {part[1] for text in batch.text for part in _strings(text)}
    assert both == {"T", "P"}


def test_the_real_next_symbol_is_always_allowed():
    batch = tasks.continual_reber(10, 300, seed=1)
    nxt = batch.xs[1:].argmax(axis=2)                          # (T - 1, n)
    assert np.all(np.take_along_axis(batch.y[:-1], nxt[..., None], axis=2) == 1.0)
    assert set(np.unique(batch.y.sum(axis=2))) == {1.0, 2.0}


def _parts_with_offsets(text):
    offset = 0
    for part in _strings(text):
        yield offset, part
        offset += len(part)


def test_allowed_symbols_are_what_many_streams_actually_do_next():
    # The grammar fixes what may follow a given prefix of the current string; across
    # many streams every allowed symbol must be seen after that prefix, and no other.
    batch = tasks.continual_reber(200, 200, seed=2)
    seen, claimed, count = defaultdict(set), defaultdict(set), defaultdict(int)
    for b, text in enumerate(batch.text):
        for offset, part in _parts_with_offsets(text):
            for t in range(offset, offset + len(part)):
                if t + 1 < len(text):
                    prefix = text[offset : t + 1]
                    seen[prefix].add(text[t + 1])
                    claimed[prefix] |= {tasks.REBER_SYMBOLS[k]
                                        for k in np.flatnonzero(batch.y[t, b])}
                    count[prefix] += 1
    common = [prefix for prefix, k in count.items() if k >= 50]
    assert len(common) > 20
    for prefix in common:
        assert seen[prefix] == claimed[prefix], prefix


def test_recall_steps_are_the_inner_strings_end():
    batch = tasks.continual_reber(10, 300, seed=5)
    for b, text in enumerate(batch.text):
        expected = []
        for offset, part in _parts_with_offsets(text):
            t = offset + part.index("E")                       # the inner string's E
            expected.append(t)
            assert batch.y[t, b].sum() == 1.0
            assert tasks.REBER_SYMBOLS[batch.y[t, b].argmax()] == part[1]   # its T or P
        tail = np.flatnonzero(batch.recall[b])[len(expected):]
        assert np.array_equal(np.flatnonzero(batch.recall[b])[: len(expected)], expected)
        assert len(tail) <= 1                          # at most one in the unfinished string


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        tasks.continual_reber(0, 10)
