"""The baseline ladder on an event stream (notebook 07): the models, their learning
curves, and the feature explosion.

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
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from . import events, validate
from .activations import sigmoid
from .losses import sigmoid_cross_entropy
from .lstm import LSTM
from .metrics import average_precision
from .seeding import rng_from
from .sequence_model import SequenceModel, fit

MODELS = ("rule", "logistic", "boosting", "lstm")


C_GRID = (0.01, 0.1, 1.0)              # logistic regression's regularization choices


@contextmanager
def _one_thread():
    # The course machine is small and shared: scikit-learn's OpenMP loops get one thread.
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=1):
        yield


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
