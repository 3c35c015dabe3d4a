"""A sequence model: a recurrent cell with its readout head, and the loop that trains
the pair on a task (fit, fit_seeds), evaluate, correct, accuracy, save and load.

    ŷ = W_y h_t + b_y

read at every step (sequence-to-sequence: a running parity) or once per sequence
at a chosen step (sequence-to-one: the verb's number after a sentence). The cell
(``RNN`` or ``LSTM``) carries memory forward; the head only reads it out, so
everything the answer needs must already be in h_t.

Trained models are saved as plain arrays (``save_sequence_models``) and read back
without pickles (``load_sequence_models``).
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np

from . import losses, metrics, validate
from .layers import Linear
from .lstm import LSTM
from .optim import SGD, Adam, clip_global_norm, global_norm
from .rnn import RNN
from .seeding import rng_from
from .train import History, train

LOSSES = (losses.mse, losses.sigmoid_cross_entropy, losses.softmax_cross_entropy)


class CellWithHead:
    """What every recurrent cell with a Linear head shares: its two layers and their size.
    Subclasses set ``self.cell`` and ``self.head``."""

    @property
    def layers(self) -> list:
        """[cell, head]: what an optimizer trains."""
        return [self.cell, self.head]

    @property
    def n_params(self) -> int:
        return sum(p.size for layer in self.layers for p in layer.params.values())


class SequenceModel(CellWithHead):
    """A recurrent ``cell`` (RNN or LSTM) with a Linear head to ``n_out`` outputs."""

    def __init__(self, cell, n_out: int, *, seed):
        if not (hasattr(cell, "hidden_size") and hasattr(cell, "forward")):
            raise TypeError(f"cell: expected an lstm_lib RNN or LSTM, got {type(cell).__name__}")
        self.cell = cell
        self.head = Linear(cell.hidden_size, n_out, seed=seed,
                           dtype=cell.params["W"].dtype)
        self.at = None

    def __repr__(self):
        return f"SequenceModel({self.cell!r}, head={self.head!r}, params={self.n_params})"

    def forward(self, xs, at=None) -> np.ndarray:
        """xs (T, B, X) -> logits (T, B, n_out) when ``at`` is None, else (B, n_out) with
        sequence b read at its step at[b] (at: (B,) ints in [0, T))."""
        hs = self.cell.forward(xs)[0]                          # (T, B, H)
        T, B, _ = hs.shape
        if at is None:
            self.at = None
            return self.head.forward(hs)                       # (T, B, n_out)
        self.at = at = validate.read_steps("at", at, T, B)
        return self.head.forward(hs[at, np.arange(B)])         # (B, n_out)

    def backward(self, dlogits) -> np.ndarray:
        """dlogits: ∂L/∂logits, shaped like forward's output. Fills both layers' grads;
        returns dxs (T, B, X)."""
        dh = self.head.backward(dlogits)
        if self.at is None:
            return self.cell.backward(dh)
        hs = self.cell.trace.h
        dhs = np.zeros_like(hs)                                # only read steps get a signal
        dhs[self.at, np.arange(hs.shape[1])] = dh
        return self.cell.backward(dhs)


def _loss_fn(loss):
    if any(loss is known for known in LOSSES):
        return loss
    names = ", ".join(f"ll.{known.__name__}" for known in LOSSES)
    raise ValueError(f"loss: expected one of {names}, got {loss!r}")


def _targets(loss, y):
    # softmax cross-entropy takes class indices, stored in y's last axis of size 1.
    return y[..., 0].astype(int) if loss is losses.softmax_cross_entropy else y


def _in_dtype(model, data):
    """data with xs and y in the model's dtype (tasks build float64; a float32 model
    reads float32), or data itself when they already are."""
    cell = getattr(model, "cell", None)                      # any model with a forward
    if cell is None:
        return data
    dtype = cell.params["W"].dtype
    if data.xs.dtype == dtype and data.y.dtype == dtype:
        return data
    return dataclasses.replace(data, xs=data.xs.astype(dtype), y=data.y.astype(dtype))


def fit(model: SequenceModel, data, loss, *, steps: int, lr: float = 0.01,
        batch_size: int | None = None, clip: float | None = None, optimizer: str = "adam",
        seed, burn_in: int = 0, every: int | None = None, callback=None,
        progress: bool = True, desc: str = "training") -> History:
    """Train ``model`` on ``data`` (a tasks.SequenceBatch) for ``steps`` steps.

    Each step draws ``batch_size`` sequences (all when None) from a generator seeded
    with ``seed``, so a run is repeatable; ``clip`` rescales the gradients to at most
    that global norm. Returns a History with "loss" and "grad_norm" (before clipping)
    per step; if any number overflows (the loss, a gradient or a weight), training
    stops there and ``history.diverged_at`` says when.

    burn_in: for data read at every step (data.at is None), the loss ignores the first
    ``burn_in`` steps of every sequence: the cell reads them only to build up its state.
    every, callback: call ``callback(k, model)`` after every ``every``-th step (k =
    every, 2·every, ..., counting steps from 1), e.g. to record a test accuracy as
    training goes; the same optimizer runs on throughout.
    """
    loss = _loss_fn(loss)
    data = _in_dtype(model, data)
    steps = validate.positive_int("steps", steps)
    if not isinstance(burn_in, numbers.Integral) or isinstance(burn_in, bool) or burn_in < 0:
        raise ValueError(f"burn_in: expected an int >= 0, got {burn_in!r}")
    if burn_in and data.at is not None:
        raise ValueError("burn_in: only for data read at every step (data.at is None); "
                         "this data is read once per sequence, at data.at")
    if burn_in >= data.xs.shape[0]:
        raise ValueError(f"burn_in: expected fewer than the {data.xs.shape[0]} steps of a "
                         f"sequence, got {burn_in}")
    if (every is None) != (callback is None):
        raise ValueError("every, callback: give both or neither")
    if every is not None:
        every = validate.positive_int("every", every)
    if batch_size is not None:
        batch_size = min(validate.positive_int("batch_size", batch_size), len(data))
    if clip is not None:
        clip = validate.positive_float("clip", clip)
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer: expected 'adam' or 'sgd', got {optimizer!r}")
    opt = (Adam if optimizer == "adam" else SGD)(model.layers, lr=lr)
    rng = rng_from(seed)

    def step(k):
        batch = data if batch_size is None else data.take(
            rng.choice(len(data), size=batch_size, replace=False))
        # An overflow anywhere (forward, backward or the update) means training has
        # diverged: report a NaN loss, which stops the loop, instead of raising.
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                logits = model.forward(batch.xs, batch.at)
                value, dscored = loss(logits[burn_in:], _targets(loss, batch.y[burn_in:]))
                dlogits = np.zeros_like(logits)               # burn-in steps get no signal
                dlogits[burn_in:] = dscored
                model.backward(dlogits)
                norm = (clip_global_norm(model.layers, clip) if clip
                        else global_norm(model.layers))
                opt.step()
        except FloatingPointError:
            return {"loss": float("nan"), "grad_norm": float("nan")}
        if every is not None and (k + 1) % every == 0:
            callback(k + 1, model)
        return {"loss": value, "grad_norm": norm}

    return train(step, steps, desc=desc, progress=progress)


def evaluate(model: SequenceModel, data, loss) -> float:
    """The mean ``loss`` of ``model`` on all of ``data``."""
    loss = _loss_fn(loss)
    data = _in_dtype(model, data)
    return loss(model.forward(data.xs, data.at), _targets(loss, data.y))[0]


def correct(model: SequenceModel, data) -> np.ndarray:
    """Where the model is right on ``data``, shaped like data.y (..., 1); the rule is
    ``metrics.correct``: one output is right when logit > 0 exactly when y > 0.5;
    several outputs (one logit per class) when the largest is the class in y."""
    data = _in_dtype(model, data)
    return metrics.correct(model.forward(data.xs, data.at), data.y)


def accuracy(model: SequenceModel, data) -> float:
    """Fraction of read steps where the model is right (see ``correct``)."""
    return float(np.mean(correct(model, data)))


def fit_seeds(make_cell, seeds, data, loss, *, n_out: int = 1, **fit_args) -> list:
    """Train one ``SequenceModel(make_cell(seed), n_out, seed=seed)`` per seed with
    ``fit(model, data, loss, seed=seed, progress=False, **fit_args)``.

    Returns [(model, history)], one pair per seed, in order.
    """
    runs = []
    for seed in seeds:
        model = SequenceModel(make_cell(seed), n_out, seed=seed)
        runs.append((model, fit(model, data, loss, seed=seed, progress=False, **fit_args)))
    return runs


def save_sequence_models(path, models: dict, **extra) -> None:
    """Write trained SequenceModels, and any ``extra`` arrays, to ``path`` with np.savez.

    ``models`` maps a name (no ".") to a model. Per model the file holds
    "<name>.cell" ("LSTM" or "RNN"), "<name>.forget_gate" and the weights
    "<name>.cell.W", "<name>.cell.b", "<name>.head.W", "<name>.head.b"; per extra,
    "extra.<key>". Plain arrays only, so it loads with allow_pickle=False.
    """
    arrays = {}
    for name, model in models.items():
        if "." in name:
            raise ValueError(f"models: expected names without '.', got {name!r}")
        cell = model.cell
        arrays[f"{name}.cell"] = np.array(type(cell).__name__)
        arrays[f"{name}.forget_gate"] = np.array(getattr(cell, "forget_gate", True))
        for part, layer in (("cell", cell), ("head", model.head)):
            for key in ("W", "b"):
                arrays[f"{name}.{part}.{key}"] = layer.params[key]
    arrays.update({f"extra.{key}": np.asarray(value) for key, value in extra.items()})
    np.savez(path, **arrays)


def load_sequence_models(path) -> tuple[dict, dict]:
    """Read what ``save_sequence_models`` wrote: ({name: SequenceModel}, {key: array})."""
    models = {}
    with np.load(path, allow_pickle=False) as saved:
        names = [key[: -len(".cell")] for key in saved.files
                 if key.endswith(".cell") and not key.startswith("extra.")]
        for name in names:
            kind = str(saved[f"{name}.cell"])
            W = saved[f"{name}.cell.W"]                  # (4H, H + X) or (H, H + X)
            (rows, columns), dtype = W.shape, W.dtype
            if kind == "LSTM":
                H = rows // 4
                cell = LSTM(columns - H, H, forget_gate=bool(saved[f"{name}.forget_gate"]),
                            dtype=dtype, seed=0)              # weights read below
            elif kind == "RNN":
                cell = RNN(columns - rows, rows, dtype=dtype, seed=0)
            else:
                raise ValueError(f"{path}: expected a saved LSTM or RNN, got {kind!r}")
            model = SequenceModel(cell, len(saved[f"{name}.head.b"]), seed=0)
            for part, layer in (("cell", cell), ("head", model.head)):
                for key in ("W", "b"):
                    layer.params[key][...] = saved[f"{name}.{part}.{key}"]
            models[name] = model
        extra = {key[len("extra."):]: saved[key] for key in saved.files
                 if key.startswith("extra.")}
    return models, extra
