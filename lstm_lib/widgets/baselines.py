"""Notebook 07: the baseline ladder on an event stream, its learning curves, and the
explorer that shows them.

The ladder, from the dumbest model up, all scored on the same time-ordered test steps
(a "step" is always a time step of the stream; one change of a model's weights is an
"update"):

- rule      the single feature column that best ranks the training positives
- logistic  logistic regression on the standard rolling features (the control)
- boosting  gradient-boosted trees on the same features (the dangerous rival)
- lstm      ll.SequenceModel(ll.LSTM) reading the raw stream (learned memory)

Each model is fit on the training steps; the validation steps choose its one knob
(logistic: the regularization C; boosting: the number of trees; lstm: when to stop
training). The score is the average precision on the test steps (the area under the
precision–recall curve): a random ranking scores the base rate, a perfect one 1.

scikit-learn is imported inside the functions that use it: only this notebook needs
it, and importing it costs every other notebook more than a second.

The notebook computes every result the explorer can show; its controls only look them up.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from .. import events, validate
from ..activations import sigmoid
from ..losses import sigmoid_cross_entropy
from ..lstm import LSTM
from ..readout import SequenceModel, fit
from ..seeding import rng_from
from .live import LiveWidget

MODELS = ("rule", "logistic", "boosting", "lstm")
LABELS = {"rule": "rule (one feature)", "logistic": "logistic regression",
          "boosting": "gradient-boosted trees", "lstm": "LSTM on the raw stream"}
COLORS = {"rule": "0.55", "logistic": "C0", "boosting": "C1", "lstm": "C3"}
C_GRID = (0.01, 0.1, 1.0)              # logistic regression's regularization choices


@contextmanager
def _one_thread():
    # The course machine is small and shared: scikit-learn's OpenMP loops get one thread.
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=1):
        yield


def average_precision(y, score) -> float | np.ndarray:
    """Area under the precision–recall curve of ``score`` ranking the positives of y
    (sklearn.metrics.average_precision_score). y (N,); score (N,), or (N, K) for K
    rankings at once (returns (K,)). The base rate when y has no positive (a random
    ranking's expected value), so a tiny split never breaks a curve."""
    from sklearn.metrics import average_precision_score
    y, score = np.asarray(y), np.asarray(score)
    if not y.any():
        return float(np.mean(y)) if score.ndim == 1 else np.full(score.shape[1], np.mean(y))
    if score.ndim == 1:
        return float(average_precision_score(y, score))
    # one call for K columns: y repeated as K labels, one ranking each
    return average_precision_score(np.repeat(y[:, None], score.shape[1], axis=1), score,
                                   average=None)


def fit_rule(F, y) -> tuple[int, float]:
    """The one-feature rule: the column j and sign s (±1) whose score s·F[:, j] ranks
    the positives of y best (average precision on these rows). F (N, D), y (N,).

    Each column's sign points from its mean over the negatives to its mean over the
    positives; then one average precision per column decides."""
    y = np.asarray(y) > 0
    if not y.any() or y.all():
        return 0, 1.0
    signs = np.where(F[y].mean(axis=0) >= F[~y].mean(axis=0), 1.0, -1.0)     # (D,)
    j = int(np.argmax(average_precision(y, F * signs)))
    return j, float(signs[j])


def fit_logistic(F_train, y_train, F_val, y_val, Cs=C_GRID):
    """Standardize, then logistic regression for each C in Cs; keep the one whose
    validation average precision is best. Returns the fitted sklearn Pipeline."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    best = None
    for C in Cs:
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
        with _one_thread():
            model.fit(F_train, y_train)
        score = average_precision(y_val, model.predict_proba(F_val)[:, 1])
        if best is None or score > best[0]:
            best = (score, model)
    return best[1]


def fit_boosting(F_train, y_train, F_val, y_val, F_test, *, max_iter: int = 60,
                 seed=0) -> tuple[np.ndarray, int]:
    """Gradient-boosted trees (sklearn HistGradientBoostingClassifier) on the training
    rows; the validation rows choose how many of the max_iter trees to keep.

    Returns (test probabilities (N_test,), trees kept).
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    model = HistGradientBoostingClassifier(learning_rate=0.15, max_iter=max_iter,
                                           max_leaf_nodes=15, min_samples_leaf=20,
                                           l2_regularization=1.0, early_stopping=False,
                                           random_state=seed)
    both = np.concatenate([F_val, F_test])
    with _one_thread():
        model.fit(F_train, y_train)
        stages = [p[:, 1] for p in model.staged_predict_proba(both)]
    n_val = len(F_val)
    scores = average_precision(y_val, np.stack(stages, axis=1)[:n_val])   # one per stage
    best = int(np.argmax(scores))
    return stages[best][n_val:], best + 1


@dataclass
class LSTMRecipe:
    """How the LSTM trains: pieces of ``length`` time steps, one every ``stride`` time
    steps of the training stream; ``rounds`` × ``updates`` Adam updates of ``batch_size``
    pieces at learning rate ``lr``.

    Burn-in: the cell's state starts at zero in every piece, so the first ``burn_in``
    time steps of a piece only build it up. The loss skips them (ll.fit's burn_in), and
    every validation or test step is scored after at least ``burn_in`` earlier ones.
    """

    hidden: int = 16
    length: int = 32
    stride: int = 8
    batch_size: int = 16
    lr: float = 0.01
    rounds: int = 4
    updates: int = 80
    burn_in: int = 16


def lstm_logits(model, x, start: int, stop: int, burn_in: int, length: int) -> np.ndarray:
    """The model's logit for every step in [start, stop) of rows x (T, V), each read after
    at least ``burn_in`` earlier rows (x must hold them): windows of ``length`` rows, the
    last length − burn_in of each scored. Returns (stop − start,)."""
    score = length - burn_in
    first = np.arange(start, stop, score)                      # first scored step per window
    first = np.minimum(first, stop - score)                    # the last window ends at stop
    index = first[None, :] - burn_in + np.arange(length)[:, None]    # (length, n_windows)
    if index.min() < 0:
        raise ValueError(f"start: expected at least burn_in = {burn_in} rows before it")
    logits = model.forward(x[index])[burn_in:, :, 0]           # (score, n_windows)
    out = np.empty(stop - start)
    # where the last window overlaps the one before it, the last window's value is kept
    out[(index[burn_in:] - start).T.ravel()] = logits.T.ravel()
    return out


def fit_lstm(x, y, train: slice, val: slice, recipe: LSTMRecipe, *, seed=0):
    """ll.SequenceModel(ll.LSTM(V, hidden), 1) trained with ll.fit on pieces of the
    training steps of x (T, V) (already standardized) and labels y (T,).

    The loss counts only the last length − burn_in time steps of each piece (see
    LSTMRecipe). After each round of ``recipe.updates`` updates the validation average
    precision is measured, and the weights of the best round are kept (early stopping).
    Each round is one ll.fit call, so Adam's running averages restart every round.
    Returns (model, the best round's validation average precision).
    """
    data = events.chunks(x[train], y[train], recipe.length, recipe.stride)
    model = SequenceModel(LSTM(x.shape[1], recipe.hidden, seed=seed), 1, seed=seed)
    best = (-1.0, None)
    for r in range(recipe.rounds):
        fit(model, data, sigmoid_cross_entropy, steps=recipe.updates, lr=recipe.lr,
            batch_size=recipe.batch_size, seed=1000 * seed + r, burn_in=recipe.burn_in,
            progress=False)
        score = average_precision(y[val], lstm_logits(model, x, val.start, val.stop,
                                                      recipe.burn_in, recipe.length))
        if score > best[0]:
            best = (score, [{k: v.copy() for k, v in layer.params.items()}
                            for layer in model.layers])
    for layer, params in zip(model.layers, best[1], strict=True):
        for k, v in params.items():
            layer.params[k][...] = v
    return model, best[0]


@dataclass
class Rung:
    """One model's result on one stream: test average precision ``ap``, test log loss
    ``log_loss`` (None for the rule, whose score is no probability), and ``detail``
    (the rule's column, C, trees kept, or the LSTM's validation score)."""

    ap: float
    log_loss: float | None
    detail: str


def climb_ladder(stream, n_train: int, *, n_val: int, n_test: int, features=None,
                 recipe: LSTMRecipe | None = None, models=MODELS, seed=0) -> dict:
    """Fit the ladder's models on the n_train steps just before validation in ``stream``
    (an events.EventStream) and score them on its last n_test steps.

    ``features``: (F, names) from events.standard_features(stream.x), passed in when
    several calls share one stream. Returns {model: Rung} for each of ``models``, plus
    "base rate" (the test steps' share of positives), "oracle" (the average precision
    of the true hazard stream.p: the ceiling) and "positives" (in the training steps).
    """
    from sklearn.metrics import log_loss
    recipe = recipe or LSTMRecipe()
    train, val, test = events.time_splits(n_train, n_val, n_test, T=len(stream))
    F, names = features if features is not None else events.standard_features(stream.x)
    y = stream.y
    out = {"base rate": float(y[test].mean()), "positives": int(y[train].sum()),
           "oracle": average_precision(y[test], stream.p[test])}

    def probability_rung(p, detail):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        loss = float(log_loss(y[test], p, labels=[0, 1]))
        return Rung(average_precision(y[test], p), loss, detail)

    with _one_thread():
        if "rule" in models:
            j, sign = fit_rule(F[train], y[train])
            out["rule"] = Rung(average_precision(y[test], sign * F[test, j]), None,
                               ("" if sign > 0 else "minus ") + names[j])
        if "logistic" in models:
            model = fit_logistic(F[train], y[train], F[val], y[val])
            out["logistic"] = probability_rung(model.predict_proba(F[test])[:, 1],
                                               f"C = {model[-1].C:g}")
        if "boosting" in models:
            p, kept = fit_boosting(F[train], y[train], F[val], y[val], F[test], seed=seed)
            out["boosting"] = probability_rung(p, f"{kept} trees")
        if "lstm" in models:
            mean, std = stream.x[train].mean(axis=0), stream.x[train].std(axis=0)
            x = (stream.x - mean) / np.where(std > 0, std, 1.0)
            model, val_ap = fit_lstm(x, y, train, val, recipe, seed=seed)
            logits = lstm_logits(model, x, test.start, test.stop, recipe.burn_in,
                                 recipe.length)
            out["lstm"] = probability_rung(sigmoid(logits), f"validation AP {val_ap:.2f}")
    return out


# --- learning curves ----------------------------------------------------------------------

@dataclass
class LearningCurves:
    """Every model's test average precision against the training-set size.

    - order: the regime knob the streams were simulated with; label: its name
    - sizes (S,): training steps; seeds: one stream per seed
    - ap: {model: (S, n_seeds)}; positives (S, n_seeds): positives in each training set
    - base_rate, oracle (n_seeds,): the test steps' share of positives, and the average
      precision of the true hazard (what a perfect model of the process would score)
    """

    order: float
    label: str
    sizes: np.ndarray
    seeds: tuple
    ap: dict = field(default_factory=dict)
    positives: np.ndarray | None = None
    base_rate: np.ndarray | None = None
    oracle: np.ndarray | None = None

    def mean(self, model: str) -> np.ndarray:
        """(S,) the mean over seeds of one model's test average precision."""
        return self.ap[model].mean(axis=1)

    def best(self, size: int) -> str:
        """The model with the highest mean average precision at one training size."""
        k = list(self.sizes).index(size)
        return max(self.ap, key=lambda m: self.ap[m][k].mean())


def learning_curves(order: float, sizes, seeds=(0, 1, 2), *, n_val: int = 3000,
                    n_test: int = 6000, recipe: LSTMRecipe | None = None, label: str = "",
                    mislabel: float = 0.0, n_history: int | None = None,
                    progress: bool = True) -> LearningCurves:
    """Climb the ladder at every training size, on one simulated stream per seed.

    For each seed the stream holds events.WARMUP + n_history + n_val + n_test steps
    (n_history: max(sizes) unless given, so that curves on other sizes can share their
    streams); all sizes share its validation and test steps, and each training set is the
    latest ``size`` steps before validation, so a larger set adds older history. ``mislabel``:
    the share of the positives before the test steps moved to random time steps
    (events.mislabel, seeded by the seed): noisy training and validation labels, scored
    against the true test labels. A progress bar counts the ladders climbed.
    """
    sizes = np.array(sorted(validate.positive_int("size", s) for s in sizes))
    n_history = sizes[-1] if n_history is None else validate.positive_int("n_history", n_history)
    if n_history < sizes[-1]:
        raise ValueError(f"n_history: expected at least the largest size, {sizes[-1]}, got "
                         f"{n_history}")
    seeds = tuple(seeds)
    out = LearningCurves(order=float(order), label=label or f"order = {order:g}",
                         sizes=sizes, seeds=seeds,
                         ap={m: np.zeros((len(sizes), len(seeds))) for m in MODELS},
                         positives=np.zeros((len(sizes), len(seeds)), dtype=int),
                         base_rate=np.zeros(len(seeds)), oracle=np.zeros(len(seeds)))
    bar = tqdm(total=len(sizes) * len(seeds), desc=out.label, disable=not progress)
    for b, seed in enumerate(seeds):
        stream = events.simulate(events.WARMUP + n_history + n_val + n_test, order=order,
                                 seed=seed)
        if mislabel:
            y = events.mislabel(stream.y, mislabel, len(stream) - n_test, seed=seed)
            stream = events.EventStream(x=stream.x, y=y, p=stream.p, order=stream.order)
        features = events.standard_features(stream.x)
        for k, n in enumerate(sizes):
            result = climb_ladder(stream, int(n), n_val=n_val, n_test=n_test,
                                  features=features, recipe=recipe, seed=seed)
            for m in MODELS:
                out.ap[m][k, b] = result[m].ap
            out.positives[k, b] = result["positives"]
            out.base_rate[b], out.oracle[b] = result["base rate"], result["oracle"]
            bar.update()
    bar.close()
    return out


# --- the feature explosion ----------------------------------------------------------------

EXPLOSION_ORDER = (8, 5, 2, 3, 12, 20, 30, 50)
"""events.EXPLOSION_WINDOWS in the order the explosion adds them (the informative ones
first), so a smaller table is always the first columns of a larger one."""
EXPLOSION_STATS = ("mean", "max", "std", "min", "slope")


def feature_explosion(counts=(10, 50, 100, 200, 400), *, n_train: int = 1500,
                      n_test: int = 6000, order: float = 0.0, seeds=(0, 1, 2),
                      C: float = 1.0, progress: bool = True) -> dict:
    """Logistic regression on ever more rolling features, from few training positives.

    The table is events.exploded_features with windows in EXPLOSION_ORDER and stats in
    EXPLOSION_STATS (10 variables × 8 windows × 5 statistics = 400 columns); a count
    of k uses its first k columns: 10 = the mean over 8 steps of every variable, 50 =
    all five statistics over 8 steps, 100 adds 5 steps, 200 adds 2 and 3, 400 all.
    One fixed C (no validation), so the table's size is the only thing that changes.
    The control refits the largest table on the same training rows with their labels
    shuffled: any pattern it finds there is noise by construction.

    Returns {"counts" (K,), "train", "test" (K, n_seeds) average precision,
    "shuffled train", "shuffled test" (n_seeds,), "positives", "base rate" (n_seeds,)}.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    counts = [validate.positive_int("count", k) for k in counts]
    seeds = tuple(seeds)
    out = {"counts": np.array(counts), "train": np.zeros((len(counts), len(seeds))),
           "test": np.zeros((len(counts), len(seeds))), "shuffled train": np.zeros(len(seeds)),
           "shuffled test": np.zeros(len(seeds)), "positives": np.zeros(len(seeds), dtype=int),
           "base rate": np.zeros(len(seeds))}
    bar = tqdm(total=(len(counts) + 1) * len(seeds), desc="feature explosion",
               disable=not progress)

    def fit_score(F_train, y_fit, F_test, y_train, y_test):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))
        model.fit(F_train, y_fit)
        bar.update()
        return (average_precision(y_train, model.predict_proba(F_train)[:, 1]),
                average_precision(y_test, model.predict_proba(F_test)[:, 1]))

    with _one_thread():
        for b, seed in enumerate(seeds):
            stream = events.simulate(events.WARMUP + n_train + n_test, order=order, seed=seed)
            F, _ = events.exploded_features(stream.x, EXPLOSION_ORDER, EXPLOSION_STATS)
            if max(counts) > F.shape[1]:
                raise ValueError(f"counts: expected at most {F.shape[1]} features, got "
                                 f"{max(counts)}")
            train, _, test = events.time_splits(n_train, 0, n_test, T=len(stream))
            y = stream.y
            out["positives"][b], out["base rate"][b] = y[train].sum(), y[test].mean()
            for k, count in enumerate(counts):
                out["train"][k, b], out["test"][k, b] = fit_score(
                    F[train, :count], y[train], F[test, :count], y[train], y[test])
            shuffled = rng_from(seed).permutation(y[train])
            out["shuffled train"][b], out["shuffled test"][b] = fit_score(
                F[train, :max(counts)], shuffled, F[test, :max(counts)], shuffled, y[test])
    bar.close()
    return out


# --- figures ------------------------------------------------------------------------------

def plot_stream(stream, start: int = 0, length: int = 150, figsize=(9, 4.2)):
    """A stretch of a stream: the load and its 8-step mean, the event kinds that drive
    the two regimes (anomaly, X, Y) as ticks, and the true hazard with the positives
    that happened. Returns the figure."""
    stop = min(start + validate.positive_int("length", length), len(stream))
    t = np.arange(start, stop)
    fig, (ax_load, ax_ev, ax_p) = plt.subplots(3, 1, figsize=figsize, sharex=True,
                                               height_ratios=(1.2, 1, 1.2))
    load = stream.column("load")
    ax_load.plot(t, load[start:stop], color="0.6", lw=1, label="load")
    mean8 = events.rolling(load[:, None], events.LOAD_WINDOW, "mean")[start:stop, 0]
    ax_load.plot(t, mean8, color="C0", lw=1.8, label=f"mean of the last {events.LOAD_WINDOW}")
    ax_load.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax_load.legend(loc="upper left", fontsize=7, frameon=False, ncol=2)
    ax_load.set_ylabel("load")
    kinds = ("anomaly", "X", "Y")
    for row, (name, color) in enumerate(zip(kinds, ("C4", "C2", "C1"), strict=True)):
        when = t[stream.column(name)[start:stop] > 0]
        ax_ev.vlines(when, row - 0.35, row + 0.35, color=color, lw=2)
    ax_ev.set(yticks=range(len(kinds)), yticklabels=kinds, ylim=(-0.7, len(kinds) - 0.3))
    ax_p.fill_between(t, stream.p[start:stop], step="mid", color="C3", alpha=0.25,
                      label="true hazard")
    hits = t[stream.y[start:stop] > 0]
    ax_p.plot(hits, stream.p[hits], "v", color="C3", ms=6, label="positive")
    ax_p.set(ylabel="hazard", xlabel="time step", ylim=(0, 1.05))
    ax_p.legend(loc="upper left", fontsize=7, frameon=False, ncol=2)
    for ax in (ax_load, ax_ev, ax_p):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _band(ax, sizes, values, color):
    """A model's curve: the mean over seeds, and a band from the lowest to the highest."""
    (line,) = ax.plot(sizes, values.mean(axis=1), "o-", color=color, lw=1.8, ms=4)
    band = ax.fill_between(sizes, values.min(axis=1), values.max(axis=1), color=color,
                           alpha=0.18, lw=0)
    return line, band


def _band_vertices(sizes, values) -> np.ndarray:
    """The outline of a band from min to max over seeds: (2S + 1, 2) closed polygon."""
    low, high = values.min(axis=1), values.max(axis=1)
    xs = np.concatenate([sizes, sizes[::-1], sizes[:1]])
    return np.column_stack([xs, np.concatenate([low, high[::-1], low[:1]])])


def _curve_axes(ax, curves: LearningCurves, title: str):
    ax.set_xscale("log")
    ax.set(xlabel="training time steps", ylabel="test average precision", title=title)
    ax.set_xticks(curves.sizes, [f"{n:,}" for n in curves.sizes])
    ax.xaxis.set_minor_locator(plt.NullLocator())
    ax.title.set_fontsize(10)
    ax.spines[["top", "right"]].set_visible(False)


def plot_curves(curves_list, figsize=(9.6, 3.8)):
    """Learning curves side by side, one panel per LearningCurves: each model's mean
    test average precision with its min–max band over seeds, the ceiling (true hazard,
    dashed) and the base rate (dotted). Returns the figure."""
    fig, axes = plt.subplots(1, len(curves_list), figsize=figsize, sharey=True,
                             squeeze=False)
    for ax, curves in zip(axes[0], curves_list, strict=True):
        for m in MODELS:
            line, _ = _band(ax, curves.sizes, curves.ap[m], COLORS[m])
            line.set_label(LABELS[m])
        ax.axhline(curves.oracle.mean(), color="k", ls="--", lw=1, label="true hazard")
        ax.axhline(curves.base_rate.mean(), color="k", ls=":", lw=1, label="base rate")
        _curve_axes(ax, curves, curves.label)
    axes[0, 0].set_ylim(0, None)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return fig


def plot_explosion(result: dict, figsize=(9, 3.4)):
    """Train and test average precision against the number of features (left, mean and
    min–max band over seeds), and the shuffled-label control beside the real labels at
    the largest table (right). Returns the figure."""
    fig, (ax, ax_ctrl) = plt.subplots(1, 2, figsize=figsize, width_ratios=(1.6, 1))
    counts = result["counts"]
    for key, color in (("train", "C0"), ("test", "C3")):
        line, _ = _band(ax, counts, result[key], color)
        line.set_label(f"{key} rows")
    ax.axhline(result["base rate"].mean(), color="k", ls=":", lw=1, label="base rate")
    ax.set_xscale("log")
    ax.set_xticks(counts, [str(c) for c in counts])
    ax.xaxis.set_minor_locator(plt.NullLocator())
    ax.set(xlabel="number of features", ylabel="average precision", ylim=(0, 1.05),
           title="logistic regression, one fixed C")
    ax.legend(fontsize=8, frameon=False, loc="center left")
    pairs = ((result["train"][-1], result["test"][-1]),
             (result["shuffled train"], result["shuffled test"]))
    for k, (train, test) in enumerate(pairs):
        ax_ctrl.bar([3 * k, 3 * k + 1], [train.mean(), test.mean()], color=["C0", "C3"],
                    width=0.8)
        for x, values in ((3 * k, train), (3 * k + 1, test)):
            ax_ctrl.plot(np.full(len(values), x), values, "k.", ms=4)
    ax_ctrl.set_xticks([0.5, 3.5], ["real labels", "shuffled labels"])
    ax_ctrl.set(ylim=(0, 1.05), title=f"{counts[-1]} features: train (blue), test (red)")
    for a in (ax, ax_ctrl):
        a.title.set_fontsize(10)
        a.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# --- the explorer -------------------------------------------------------------------------

def describe_ladder(curves: LearningCurves, size: int) -> str:
    """The explorer's readout: the regime, the training size, every model's mean test
    average precision there (best first), the ceiling and the base rate."""
    k = list(curves.sizes).index(size)
    ranked = sorted(MODELS, key=lambda m: -curves.ap[m][k].mean())
    scores = " · ".join(f"{LABELS[m]} {curves.ap[m][k].mean():.2f}" for m in ranked)
    return (f"<b>{curves.label}, {size:,} training time steps</b> (about "
            f"{curves.positives[k].mean():.0f} failures to learn from): {scores}<br>"
            f"ceiling (true hazard) {curves.oracle.mean():.2f} · base rate "
            f"{curves.base_rate.mean():.3f} · best here: <b>{LABELS[ranked[0]]}</b>")


class BaselineExplorer(LiveWidget):
    """Pick a regime and a training size; see the four models' learning curves (left)
    and their scores at that size (right, bars = mean over seeds, dots = each seed).

    ``curves``: {regime name: LearningCurves}, all with the same sizes and seeds,
    computed in the notebook; the controls only look results up. Attributes:
    ``regime`` (ToggleButtons), ``size`` (SelectionSlider), ``readout``, ``fig``.
    """

    def __init__(self, curves: dict, *, regime: str | None = None, size: int | None = None):
        if not curves:
            raise ValueError("curves: expected at least one regime's LearningCurves")
        first = next(iter(curves.values()))
        for name, c in curves.items():
            if not (np.array_equal(c.sizes, first.sizes) and c.seeds == first.seeds):
                raise ValueError(f"curves: {name!r} has other sizes or seeds than the first")
        regime = regime if regime is not None else next(iter(curves))
        size = size if size is not None else int(first.sizes[-1])
        if regime not in curves or size not in first.sizes:
            raise ValueError(f"start: expected a regime in {list(curves)} and a size in "
                             f"{list(first.sizes)}, got {regime!r} and {size}")
        self.curves = curves
        style = {"description_width": "8em"}
        self.regime = W.ToggleButtons(options=list(curves), value=regime,
                                      description="regime", style=style)
        self.size = W.SelectionSlider(options=[int(n) for n in first.sizes], value=size,
                                      description="training set", style=style,
                                      layout=W.Layout(width="480px"))
        super().__init__("ll-baseline-explorer", figsize=(8.4, 4.2))
        ax, ax_bar = self.fig.subplots(1, 2, width_ratios=(1.5, 1))
        self._ax = ax
        self._curves = {}
        for m in MODELS:
            line, band = _band(ax, first.sizes, first.ap[m], COLORS[m])
            line.set_label(LABELS[m])
            self._curves[m] = (line, band)
        self._oracle = ax.axhline(0, color="k", ls="--", lw=1, label="true hazard")
        self._base = ax.axhline(0, color="k", ls=":", lw=1, label="base rate")
        self._marker = ax.axvline(size, color="0.3", lw=1)
        _curve_axes(ax, first, first.label)       # a title now, so the layout leaves room
        ax.legend(fontsize=8, frameon=False, loc="upper center", ncol=3,
                  bbox_to_anchor=(0.6, -0.2))
        n_seeds = len(first.seeds)
        self._bars = ax_bar.bar(range(len(MODELS)), np.zeros(len(MODELS)),
                                color=[COLORS[m] for m in MODELS], width=0.7)
        (self._dots,) = ax_bar.plot(np.repeat(np.arange(len(MODELS)), n_seeds),
                                    np.zeros(len(MODELS) * n_seeds), "k.", ms=5)
        self._bar_oracle = ax_bar.axhline(0, color="k", ls="--", lw=1)
        ax_bar.set_xticks(range(len(MODELS)), ["rule", "logistic", "trees", "LSTM"])
        ax_bar.set(ylabel="test average precision", title="at every size")
        ax_bar.title.set_fontsize(10)
        ax_bar.spines[["top", "right"]].set_visible(False)
        self._ax_bar = ax_bar
        top = max(max(c.ap[m].max() for m in MODELS) for c in curves.values())
        top = max(top, max(c.oracle.mean() for c in curves.values()))
        for a in (ax, ax_bar):
            a.set_ylim(0, 1.1 * top)
        self._show([self.regime, self.size])

    def _update(self, _change=None):
        curves, size = self.curves[self.regime.value], self.size.value
        k = list(curves.sizes).index(size)
        for m in MODELS:
            line, band = self._curves[m]
            line.set_ydata(curves.mean(m))
            band.set_verts([_band_vertices(curves.sizes, curves.ap[m])])
            self._bars[MODELS.index(m)].set_height(curves.ap[m][k].mean())
        self._dots.set_ydata(np.concatenate([curves.ap[m][k] for m in MODELS]))
        for artist in (self._oracle, self._bar_oracle):
            artist.set_ydata([curves.oracle.mean()] * 2)
        self._base.set_ydata([curves.base_rate.mean()] * 2)
        self._marker.set_xdata([size, size])
        self._ax.set_title(curves.label, fontsize=10)
        self._ax_bar.set_title(f"at {size:,} training time steps", fontsize=10)
        self.readout.value = describe_ladder(curves, size)
        self._redraw()
