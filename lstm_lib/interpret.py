"""What a trained LSTM's units and gates do: reading states, correlating units with
features of the input, and choosing a unit on one half of a text to measure it on the
other (notebooks 06 and 08).

- ``read_states``       every unit's h and c over a text, and how often each gate saturates
- ``unit_correlations`` Pearson correlation of every unit with every feature
- ``units_on_halves``   a unit chosen on one half of a text, measured on the other
- ``best_units``        per feature, the unit (in any state) that follows it most closely
- ``gate_traces``       an agreement LSTM's gates and states over one sentence
- ``number_units``      how strongly each unit's memory tracks the subject's number
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import tasks, validate
from .activations import sigmoid
from .charlm import CharLM, _streams, _windows

GATES = ("f", "i", "o")
"""The three valves whose saturation ``read_states`` counts."""


SATURATED = (0.1, 0.9)
"""A valve is left-saturated below 0.1 and right-saturated above 0.9 (Karpathy et al. 2015)."""


@dataclass
class States:
    """What the cell did over a text, in text order (position b·L + t of stream b).

    - h, c: (M, H) the hidden and cell state after each of the first M characters
    - saturation: {gate: (left, right)} for f, i, o: per unit (H,), the fraction of
      the M steps where the gate was below 0.1 (left) or above 0.9 (right)
    """

    h: np.ndarray
    c: np.ndarray
    saturation: dict


def read_states(model: CharLM, ids, *, streams: int = 16, seq_len: int = 256) -> States:
    """Run the model over ``ids`` (as in log2_probs) and keep every state and gate count."""
    stream_ids = _streams(ids, streams)
    B, L = stream_ids.shape
    H = model.hidden_size
    h = np.empty((B, L, H), dtype=model.dtype)
    c = np.empty((B, L, H), dtype=model.dtype)
    low, high = SATURATED
    counts = {gate: np.zeros((2, H)) for gate in GATES}          # (left, right) per unit
    for start, stop, _ in _windows(model, stream_ids, seq_len):
        trace = model.cell.trace
        h[:, start:stop] = trace.h.transpose(1, 0, 2)
        c[:, start:stop] = trace.c.transpose(1, 0, 2)
        for gate in GATES:
            values = getattr(trace, gate)                        # (T, B, H)
            counts[gate][0] += (values < low).sum(axis=(0, 1))
            counts[gate][1] += (values > high).sum(axis=(0, 1))
    saturation = {gate: (left / (B * L), right / (B * L)) for gate, (left, right)
                  in counts.items()}
    return States(h=h.reshape(B * L, H), c=c.reshape(B * L, H), saturation=saturation)


def unit_correlations(activations, features, *, chunk: int = 8192) -> np.ndarray:
    """Pearson correlation of every unit with every feature.

    activations (M, H), features (M, F) -> (F, H). A unit or feature that never
    changes over the M positions has no correlation: 0 there. Sums run in float64 over
    ``chunk`` rows at a time, so no float64 copy of the whole (M, H) is ever made.
    """
    a, x = np.asarray(activations), np.asarray(features)
    if a.ndim != 2 or x.ndim != 2 or len(a) != len(x):
        raise ValueError(f"expected activations (M, H) and features (M, F) with the same M, "
                         f"got {a.shape} and {x.shape}")
    mean_a = a.mean(axis=0, dtype=np.float64)
    mean_x = x.mean(axis=0, dtype=np.float64)
    cross = np.zeros((x.shape[1], a.shape[1]))                     # Σ (x − x̄)ᵀ (a − ā)
    ss_a, ss_x = np.zeros(a.shape[1]), np.zeros(x.shape[1])
    for start in range(0, len(a), validate.positive_int("chunk", chunk)):
        da = a[start: start + chunk].astype(np.float64) - mean_a
        dx = x[start: start + chunk].astype(np.float64) - mean_x
        cross += dx.T @ da
        ss_a += (da * da).sum(axis=0)
        ss_x += (dx * dx).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cross / np.outer(np.sqrt(ss_x), np.sqrt(ss_a))
    return np.nan_to_num(corr, nan=0.0)


def units_on_halves(states: States, features) -> dict:
    """Choose each feature's unit on the first half of a text; measure it on the second.

    The candidates are every unit's h and tanh(c): 2H columns, h first. For each feature
    the candidate with the largest |correlation| over the first half of the M positions
    is chosen; its correlation over the second half is the number to report, since the
    choice never saw that half.

    states: from read_states, M positions; features (M, F). Returns {"unit": (F,) the
    chosen column (u < H: h of unit u; else tanh(c) of unit u − H), "chosen": (F,) its
    correlation r on the first half, "confirmed": (F,) its r on the second half}.
    """
    half = len(states.h) // 2
    first, second = (np.concatenate([unit_correlations(states.h[part], features[part]),
                                     unit_correlations(np.tanh(states.c[part]), features[part])],
                                    axis=1)                                 # (F, 2H)
                     for part in (slice(None, half), slice(half, None)))
    unit = np.abs(first).argmax(axis=1)
    rows = np.arange(len(unit))
    return {"unit": unit, "chosen": first[rows, unit], "confirmed": second[rows, unit]}


def best_units(corr: dict, names) -> dict:
    """For each feature, the unit (in any of the states) with the largest |correlation|.

    corr: {state name: (F, H) from unit_correlations}; names: the F features'
    names. Returns {feature: (state name, unit, correlation)} in the order of names.
    """
    best = {}
    for f, feature in enumerate(names):
        state = max(corr, key=lambda s: np.abs(corr[s][f]).max())
        unit = int(np.argmax(np.abs(corr[state][f])))
        best[feature] = (state, unit, float(corr[state][f, unit]))
    return best


def gate_traces(model, words) -> dict:
    """Run ``model`` (an LSTM with a one-output head) over one sentence.

    Returns {"f", "i", "c_tilde", "o", "c", "h": (H, n_words) arrays, "p_plural":
    (n_words,) the head's σ(W_y h_t + b_y) after each word}.
    """
    words = list(words)
    if not words:
        raise ValueError("words: expected at least one word")
    xs = tasks.one_hot_words([words])                            # (n_words, 1, V)
    logits = model.forward(xs)[:, 0, 0]                          # read after every word
    tr = model.cell.trace
    out = {name: getattr(tr, name)[:, 0].T.copy() for name in
           ("f", "i", "c_tilde", "o", "c", "h")}
    out["p_plural"] = sigmoid(logits)
    return out


def number_units(model, data) -> np.ndarray:
    """How strongly each unit's memory c_j tracks the subject's number.

    Over every sentence of ``data`` (an AgreementBatch), at every step from the subject
    to the last word, pairs c_j with +1 (plural subject) or −1 (singular). Returns the
    Pearson correlation per unit, (H,); 0 for a unit that never changes.
    """
    model.forward(data.xs, data.at)
    c = model.cell.trace.c                                       # (T, B, H)
    T, B, _ = c.shape
    steps = np.arange(T)[:, None]
    start = (data.at - data.distance)[None, :]                   # the subject's step
    inside = (steps >= start) & (steps <= data.at[None, :])      # (T, B)
    values = c[inside]                                           # (n_pairs, H)
    sign = np.broadcast_to(2 * data.y[:, 0] - 1, (T, B))[inside]  # (n_pairs,)
    return unit_correlations(values, sign[:, None])[0]
