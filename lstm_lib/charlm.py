"""A character-level language model: an LSTM that reads text one character at a time
and, at every step, gives a probability to each possible next character.

    x_t = one_hot(char_t)                 (V,) over the fixed vocabulary
    h_t, c_t = LSTM(x_t, h_{t-1}, c_{t-1})
    p(char_{t+1} | chars ≤ t) = softmax(W_y h_t + b_y)

Its loss is the cross-entropy of the true next character, reported in **bits per
character** (bpc): −log₂ of the probability the model gave to what came next, averaged.
A model that knows nothing about text spreads its bets evenly, log₂ V ≈ 6.6 bpc.

- ``CharLM``          the LSTM and its readout head
- ``Trainer``         truncated backpropagation through time with carried state
- ``log2_probs``, ``bits_per_char``   evaluation on held-out text
- ``sample``, ``next_char_probs``      generation with a temperature
- ``block_openings``, ``shuffle_lines``   does generated text open blocks where Python
  does, and how often would its lines do so in a random order
- ``save``, ``load``  weights as a plain .npz (no pickle)

Text is handled as indices into ``corpus.VOCAB``; sequences are time-major (T, B).
Its baseline, the n-gram model, is in ``ngram``; what its units and gates do, in
``interpret``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from . import corpus, validate
from .layers import Linear
from .losses import log_softmax, softmax_cross_entropy
from .lstm import LSTM
from .optim import Adam, clip_global_norm
from .seeding import rng_from
from .sequence_model import CellWithHead
from .train import History, train
from .vocab import one_hot

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "char_lstm.npz"
"""The trained model notebook 08 opens (written by data/train_char_lstm.py)."""
SHIPPED_RUNS = {0: SHIPPED} | {seed: SHIPPED.with_name(f"char_lstm_seed{seed}.npz")
                               for seed in (1, 2)}
"""The shipped model (seed 0) and two more runs of the same recipe, from seeds 1 and 2."""
LN2 = math.log(2.0)


class CharLM(CellWithHead):
    """An LSTM over one-hot characters with a Linear head to V logits.

    ``CharLM(hidden_size, *, vocab_size=len(corpus.VOCAB), seed, dtype=np.float32)``;
    ``.cell`` is the LSTM(V, H), ``.head`` the Linear(H, V). float32 runs about twice as
    fast as float64 here; the shipped model scores the validation text the same in both
    to 7 decimals.
    """

    def __init__(self, hidden_size: int, *, vocab_size: int = len(corpus.VOCAB), seed,
                 dtype=np.float32):
        rng = rng_from(seed)
        self.vocab_size = validate.positive_int("vocab_size", vocab_size)
        self.cell = LSTM(vocab_size, hidden_size, seed=rng, dtype=dtype)
        self.head = Linear(hidden_size, vocab_size, seed=rng, dtype=dtype)

    def __repr__(self):
        return (f"CharLM(V={self.vocab_size}, H={self.hidden_size}, "
                f"params={self.n_params:,}, dtype={self.dtype})")

    @property
    def hidden_size(self) -> int:
        return self.cell.hidden_size

    @property
    def dtype(self):
        return self.cell.params["W"].dtype

    def forward(self, ids, state=None):
        """ids (T, B) ints -> logits (T, B, V) and the final state (h_T, c_T), each (B, H).

        ``state`` = (h0, c0) carries memory in from an earlier window; None starts at 0.
        """
        h0, c0 = (None, None) if state is None else state
        hs, (h, c) = self.cell.forward(one_hot(ids, self.vocab_size, self.dtype), h0, c0)
        return self.head.forward(hs), (h.copy(), c.copy())

    def backward(self, dlogits):
        """dlogits (T, B, V): fills both layers' grads. Nothing flows into the carried-in
        state: that is where backpropagation through time is truncated."""
        self.cell.backward(self.head.backward(dlogits))


class Trainer:
    """Truncated backpropagation through time, with the state carried across windows.

    The training text is cut into ``batch_size`` contiguous streams, one per row of the
    batch. Each step reads the next ``seq_len`` characters of every stream, predicts each
    next character, and backpropagates through those steps only; the final (h, c) is
    carried into the next window, so memory reaches further back than the gradient
    does. At the end of the streams an epoch ends: the state goes back to zero and the
    next epoch starts at a random offset below seq_len (seeded), so windows fall
    differently every time. Adam with global-norm clipping updates the weights.

    ``run(steps)`` continues where the last call stopped (the optimizer's moments, the
    position and the state are kept), so training can be split over several calls.
    """

    def __init__(self, model: CharLM, ids, *, batch_size: int = 32, seq_len: int = 64,
                 lr: float = 2e-3, clip: float = 5.0, seed):
        ids = np.asarray(ids, dtype=np.int64)
        self.model = model
        self.batch_size = B = validate.positive_int("batch_size", batch_size)
        self.seq_len = T = validate.positive_int("seq_len", seq_len)
        L = len(ids) // B
        if L < T + 1:
            raise ValueError(f"ids: expected at least batch_size·(seq_len + 1) = "
                             f"{B * (T + 1)} characters, got {len(ids)}")
        self.streams = ids[: B * L].reshape(B, L)               # (B, L)
        self.clip = validate.positive_float("clip", clip)
        self.optimizer = Adam(model.layers, lr=lr)
        self.rng = rng_from(seed)
        self.position = None                                    # start of the next window
        self.state = None
        self.steps_done = 0
        self.epochs = 0

    def __repr__(self):
        return (f"Trainer({self.batch_size} streams of {self.streams.shape[1]:,} characters, "
                f"windows of {self.seq_len}, {self.steps_done} steps done)")

    def _window(self) -> np.ndarray:
        T, L = self.seq_len, self.streams.shape[1]
        if self.position is None or self.position + T + 1 > L:
            self.epochs += self.position is not None
            self.position = int(self.rng.integers(T))
            self.state = None                                   # a new epoch starts fresh
        window = self.streams[:, self.position: self.position + T + 1]
        self.position += T
        return window.T                                         # (T + 1, B)

    def step(self) -> dict:
        """One window: forward, loss in bits per character, backward, clip, update."""
        window = self._window()
        logits, self.state = self.model.forward(window[:-1], self.state)
        nats, dlogits = softmax_cross_entropy(logits, window[1:])
        self.model.backward(dlogits)
        norm = clip_global_norm(self.model.layers, self.clip)
        self.optimizer.step()
        self.steps_done += 1
        return {"loss": nats / LN2, "grad_norm": norm}

    def run(self, steps: int, *, progress: bool = True, desc: str = "training") -> History:
        """``steps`` more steps; History "loss" (bits per character) and "grad_norm"."""
        return train(lambda _k: self.step(), steps, desc=desc, progress=progress)


def _streams(ids, streams: int):
    ids = np.asarray(ids, dtype=np.int64)
    B = validate.positive_int("streams", streams)
    L = len(ids) // B
    if L < 2:
        raise ValueError(f"ids: expected at least 2·streams = {2 * B} characters, "
                         f"got {len(ids)}")
    return ids[: B * L].reshape(B, L)


def _windows(model: CharLM, stream_ids, seq_len: int):
    """Run the model over (B, L) streams window by window, carrying the state; yield
    (start, stop, logits (T, B, V)) with model.cell.trace holding that window. At the
    end the trace is dropped: nothing will backpropagate, and it holds megabytes."""
    seq_len = validate.positive_int("seq_len", seq_len)
    state = None
    for start in range(0, stream_ids.shape[1], seq_len):
        stop = min(start + seq_len, stream_ids.shape[1])
        logits, state = model.forward(stream_ids[:, start:stop].T, state)
        yield start, stop, logits
    model.cell.trace = None


def log2_probs(model: CharLM, ids, *, streams: int = 16, seq_len: int = 256) -> np.ndarray:
    """log₂ p(ids[t] | ids before t) at every position t the model predicts, (len(ids),).

    The text is read as ``streams`` contiguous pieces side by side (B = streams, for
    speed), each from a zero state, so the first character of each piece and the few
    left over at the end (fewer than ``streams``) are not predicted: NaN there.
    """
    stream_ids = _streams(ids, streams)
    B, L = stream_ids.shape
    out = np.full((B, L), np.nan)
    for start, stop, logits in _windows(model, stream_ids, seq_len):
        logp = log_softmax(logits.astype(np.float64))            # (T, B, V)
        # the logits at step t score the character at t + 1
        stop_target = min(stop + 1, L)
        targets = stream_ids[:, start + 1: stop_target].T        # (T or T − 1, B)
        picked = np.take_along_axis(logp[: len(targets)], targets[..., None], axis=-1)
        out[:, start + 1: stop_target] = picked[..., 0].T / LN2
    full = np.full(len(ids), np.nan)
    full[: B * L] = out.ravel()
    return full


def bits_per_char(model: CharLM, ids, *, streams: int = 16, seq_len: int = 256) -> float:
    """Mean −log₂ p over every predicted position of ``ids`` (see log2_probs)."""
    return float(-np.nanmean(log2_probs(model, ids, streams=streams, seq_len=seq_len)))


def _warm(model: CharLM, prompt: str):
    """Read the prompt (a newline when empty); return (h, c), each (1, H), after it."""
    ids = corpus.encode(prompt or "\n")
    _, state = model.forward(ids[:, None])
    return state


def _next_probs(model: CharLM, h, temperature: float) -> np.ndarray:
    """softmax(logits / temperature) for a (1, H) state, as float64 (V,)."""
    logits = model.head.forward(h)[0].astype(np.float64)
    return np.exp(log_softmax(logits / temperature))


def next_char_probs(model: CharLM, prompt: str, *, temperature: float = 1.0) -> np.ndarray:
    """(V,) the model's distribution over the character after ``prompt``, sharpened
    (temperature < 1) or flattened (> 1) by dividing the logits by the temperature."""
    temperature = validate.positive_float("temperature", temperature)
    h, _ = _warm(model, prompt)
    return _next_probs(model, h, temperature)


def sample(model: CharLM, prompt: str, n: int, *, temperature: float = 1.0, seed=0) -> str:
    """Continue ``prompt`` with ``n`` characters drawn one at a time; returns only them.

    Each character is drawn from softmax(logits / temperature) and fed back as the next
    input. Low temperatures pick the likeliest characters almost always; high ones
    spread the draws toward uniform.
    """
    n = validate.positive_int("n", n)
    temperature = validate.positive_float("temperature", temperature)
    rng = rng_from(seed)
    h, c = _warm(model, prompt)
    out = np.empty(n, dtype=np.int64)
    rows = one_hot(np.arange(model.vocab_size), model.vocab_size, model.dtype)   # row k: char k
    for t in range(n):
        cumulative = np.cumsum(_next_probs(model, h, temperature))
        out[t] = min(int(np.searchsorted(cumulative, rng.random() * cumulative[-1],
                                         side="right")), model.vocab_size - 1)
        step = model.cell.step(rows[out[t: t + 1]], h, c)
        h, c = step.h, step.c
    return corpus.decode(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def block_openings(text: str) -> tuple[int, int]:
    """Python's block rule, counted in a text: a line that ends in ':' opens a block, so
    the next line is indented deeper; otherwise (outside brackets and docstrings) a line
    goes no deeper than the one before.

    Over consecutive non-blank lines (a, b), the first line of the text (it continues a
    prompt) and the last (it may be cut) left out: ``openings`` counts the pairs where a
    ends in ':' or b is indented deeper than a, ``kept`` those where both hold. Returns
    (kept, openings); kept / openings is the share of openings that follow the rule.
    """
    lines = [line for line in text.split("\n")[1:-1] if line.strip()]
    pairs = [(a.rstrip().endswith(":"), _indent(b) > _indent(a))
             for a, b in zip(lines, lines[1:], strict=False)]
    return sum(colon and deeper for colon, deeper in pairs), \
        sum(colon or deeper for colon, deeper in pairs)


def shuffle_lines(text: str, seed=0) -> str:
    """The same lines in a random order (seeded), the first and the last kept in place:
    block_openings of the result is the chance level of a text with these lines."""
    lines = text.split("\n")
    if len(lines) < 3:
        return text
    middle = lines[1:-1]
    order = rng_from(seed).permutation(len(middle))
    return "\n".join([lines[0], *(middle[k] for k in order), lines[-1]])


def save(path, model: CharLM, **extra) -> None:
    """Write the weights, the vocabulary and any extra arrays or numbers to an .npz."""
    np.savez(path, W=model.cell.params["W"], b=model.cell.params["b"],
             W_y=model.head.params["W"], b_y=model.head.params["b"],
             vocab=np.array(corpus.VOCAB), **extra)


def load(path, *, dtype=None):
    """(model, info) from an .npz written by ``save``; info holds every extra entry.

    dtype: compute in this precision (e.g. np.float64 to check float32 weights); None
    keeps the file's. Raises ValueError if the file's vocabulary is not corpus.VOCAB.
    """
    with np.load(path, allow_pickle=False) as data:
        info = {key: data[key] for key in data.files}
    vocab = str(info.pop("vocab"))
    if vocab != corpus.VOCAB:
        raise ValueError(f"{path}: its vocabulary differs from corpus.VOCAB")
    W, b, W_y, b_y = (info.pop(key) for key in ("W", "b", "W_y", "b_y"))
    model = CharLM(W_y.shape[1], vocab_size=len(vocab),
                   dtype=W.dtype if dtype is None else dtype, seed=0)   # weights read below
    for params, values in ((model.cell.params, (W, b)), (model.head.params, (W_y, b_y))):
        for key, value in zip(("W", "b"), values, strict=True):
            if params[key].shape != value.shape:
                raise ValueError(f"{path}: {key} has shape {value.shape}, expected "
                                 f"{params[key].shape}")
            params[key][...] = value
    return model, info
