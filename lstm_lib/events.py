"""Event streams with rare positives, and the features that summarize their past.

A stream is what a monitored machine reports, one row per time step: five continuous
readings and five kinds of discrete event (VARIABLES). After each step a rare
*positive* (a failure, say) may happen; notebook 07 predicts it from the past.

The past can reach a model in two ways:

- explicit memory: columns computed from the past by hand — lags, rolling windows,
  counts, time since the last event, slopes — built here by ``build_features``;
- learned memory: a recurrent network reading the raw rows one step at a time, which
  has to discover for itself what to remember.

The generative process (``simulate``), step by step, all from one seeded generator:

1. each continuous reading is an AR(1) process with unit variance,
   r_t = φ r_{t-1} + √(1 − φ²) ε_t, ε_t ~ N(0, 1), with its own φ (PERSISTENCE);
2. each event kind fires independently with its own probability (EVENT_RATE);
3. two hazards are computed from the rows up to and including t:

   - regime A, summarizable history:
     logit p_A(t) = A_BIAS + A_LOAD · load₁₆(t) + A_SURGE · [anomaly in the last 10
     steps] · [load₁₆(t) > 0], with load₁₆ the mean load over the last 16 steps: a
     strained machine, and worse after a recent anomaly if it is strained. A rolling
     mean and the time since the last anomaly say everything there is to know.
   - regime B, an order-dependent pattern: a step is *dangerous* for M_DANGER steps
     after an X is followed by a Y within K_ORDER steps; then p_B = B_HIGH, else
     B_LOW. A Y followed by an X is harmless, although it leaves exactly the same
     counts of X and Y in every window.

4. the knob ``order`` ∈ [0, 1] blends them, p_t = (1 − order) p_A(t) + order p_B(t),
   and y_t ~ Bernoulli(p_t) says whether a positive happens right after step t.

Both hazards are set so that about 3% of steps are positive.

All features at step t read rows 0..t only: tests/test_events.py changes the stream
after t and checks that nothing up to t moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import validate
from .activations import sigmoid
from .seeding import rng_from
from .tasks import SequenceBatch

VARIABLES = ("load", "temperature", "pressure", "vibration", "humidity",
             "anomaly", "X", "Y", "door", "alarm")
"""The stream's columns, in order: five continuous readings, then five event kinds."""
CONTINUOUS = VARIABLES[:5]
EVENTS = VARIABLES[5:]
PERSISTENCE = (0.9, 0.98, 0.95, 0.7, 0.99)     # φ of each continuous reading
EVENT_RATE = (0.03, 0.12, 0.12, 0.06, 0.03)    # firing probability of each event kind

LOAD_WINDOW, SURGE_WINDOW = 16, 10             # regime A's load₁₆ and "recent anomaly"
A_BIAS, A_LOAD, A_SURGE = -6.3, 1.5, 4.0
K_ORDER, M_DANGER = 1, 4                       # regime B: X then Y within K; danger M steps
B_HIGH, B_LOW = 0.5, 0.002

STATISTICS = ("mean", "std", "min", "max", "slope")
"""The five rolling statistics of the feature explosion."""
EXPLOSION_WINDOWS = (2, 3, 5, 8, 12, 20, 30, 50)
"""Eight window sizes: with 10 variables and 5 statistics, 400 features."""
SINCE_CAP = 100                                # "never seen" reads as this many steps


@dataclass
class EventStream:
    """A simulated stream: x (T, V) rows over VARIABLES; y (T,) 0/1 positives;
    p (T,) the true hazard each positive was drawn with; order, the regime knob."""

    x: np.ndarray
    y: np.ndarray
    p: np.ndarray
    order: float

    def __len__(self) -> int:
        return len(self.y)

    def __repr__(self):
        return (f"EventStream({len(self)} steps, {len(VARIABLES)} variables, order="
                f"{self.order:g}, {int(self.y.sum())} positives = {self.y.mean():.1%})")

    def column(self, name: str) -> np.ndarray:
        """The (T,) column of one variable, by its name in VARIABLES."""
        return self.x[:, VARIABLES.index(name)]


def simulate(T: int, *, order: float = 0.0, seed=0) -> EventStream:
    """A stream of T steps from the process in the module docstring.

    ``order`` = 0 is regime A (risk from summarizable recent history), 1 is regime B
    (risk from an X followed by a Y); values between blend the two hazards.
    """
    T = validate.positive_int("T", T)
    order = validate.in_range("order", order, 0.0, 1.0)
    rng = rng_from(seed)
    x = np.empty((T, len(VARIABLES)))
    phi = np.array(PERSISTENCE)
    noise = rng.normal(size=(T, len(CONTINUOUS))) * np.sqrt(1 - phi**2)
    x[0, :5] = rng.normal(size=len(CONTINUOUS))               # start in the steady state
    x[1:, :5] = noise[1:]
    for t in range(1, T):                                     # AR(1): a running recursion
        x[t, :5] += phi * x[t - 1, :5]
    x[:, 5:] = rng.random((T, len(EVENTS))) < np.array(EVENT_RATE)
    p = (1 - order) * hazard_a(x) + order * hazard_b(x)
    y = (rng.random(T) < p).astype(np.float64)
    return EventStream(x=x, y=y, p=p, order=order)


def hazard_a(x) -> np.ndarray:
    """Regime A's hazard (T,) from rows x (T, V): high load, worse after an anomaly."""
    load16 = rolling(x[:, [0]], LOAD_WINDOW, "mean")[:, 0]
    surge = time_since(x[:, [VARIABLES.index("anomaly")]])[:, 0] < SURGE_WINDOW
    return sigmoid(A_BIAS + A_LOAD * load16 + A_SURGE * (surge & (load16 > 0)))


def order_danger(x) -> np.ndarray:
    """(T,) bool: within M_DANGER steps after a Y that came at most K_ORDER steps after
    an X. Only that order counts: a Y followed by an X is no danger."""
    X, Y = x[:, VARIABLES.index("X")], x[:, VARIABLES.index("Y")]
    x_before = lagged(rolling(X[:, None], K_ORDER, "max"), 1)[:, 0] > 0  # an X in [t−K, t−1]
    x_before[0] = False                                     # nothing comes before step 0
    completed = (Y > 0) & x_before                          # the pattern closes at this Y
    return rolling(completed[:, None] * 1.0, M_DANGER, "max")[:, 0] > 0


def hazard_b(x) -> np.ndarray:
    """Regime B's hazard (T,) from rows x (T, V): B_HIGH when order_danger, else B_LOW."""
    return np.where(order_danger(x), B_HIGH, B_LOW)


# --- features: explicit memory ------------------------------------------------------------

def lagged(x, k: int) -> np.ndarray:
    """x (T, V) -> (T, V) holding x[t − k] at row t (row 0 repeated before the start)."""
    x = np.asarray(x, dtype=np.float64)
    k = int(k)
    if k < 0:
        raise ValueError(f"k: expected a lag of 0 or more steps, got {k}")
    index = np.maximum(np.arange(len(x)) - k, 0)
    return x[index]


def _window_sums(x, w: int, weights=None):
    """Sums of x (or of weights·x) over rows [t − w + 1, t] for each t, from cumulative
    sums, and how many rows each window holds (fewer than w near the start)."""
    values = x if weights is None else weights[:, None] * x
    cs = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(values, axis=0)])
    end = np.arange(1, len(x) + 1)
    start = np.maximum(end - w, 0)
    return cs[end] - cs[start], (end - start)[:, None].astype(np.float64)


def rolling(x, w: int, stat: str) -> np.ndarray:
    """A statistic over each step's last w rows (itself included): x (T, V) -> (T, V).

    stat: "mean", "std", "min", "max", "slope" (least-squares change per step, 0 for a
    single row) or "count" (the sum: events in the window). Near the start a window
    holds the rows that exist. Vectorized over time: cumulative sums for the sums,
    a strided window view for min and max.
    """
    x = np.asarray(x, dtype=np.float64)
    w = validate.positive_int("w", w)
    if stat in ("min", "max"):
        fill = np.inf if stat == "min" else -np.inf       # never wins: absent rows
        padded = np.concatenate([np.full((w - 1, x.shape[1]), fill), x])
        view = sliding_window_view(padded, w, axis=0)     # (T, V, w)
        return view.min(axis=-1) if stat == "min" else view.max(axis=-1)
    s1, n = _window_sums(x, w)
    if stat == "count":
        return s1
    mean = s1 / n
    if stat == "mean":
        return mean
    if stat == "std":
        s2, _ = _window_sums(x**2, w)
        var = s2 / n - mean**2
        # E[x²] − E[x]² cancels: a constant window leaves a rounding residue (~1e-16 of
        # E[x²]) that the square root would blow up to ~1e-8. Call that 0.
        var[var < 1e-10 * (s2 / n)] = 0.0
        return np.sqrt(var)
    if stat == "slope":
        # positions j = 0..n−1 within the window: Σj and Σj² in closed form, and
        # Σ j·x = Σ τ·x − (t − n + 1)·Σx over the steps τ of the window
        tau = np.arange(len(x), dtype=np.float64)
        s_tau_x, _ = _window_sums(x, w, weights=tau)
        first = tau[:, None] - n + 1
        s_jx = s_tau_x - first * s1
        s_j, s_jj = n * (n - 1) / 2, (n - 1) * n * (2 * n - 1) / 6
        denom = n * s_jj - s_j**2
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(denom > 0, (n * s_jx - s_j * s1) / denom, 0.0)
    raise ValueError(f"stat: expected one of {(*STATISTICS, 'count')}, got {stat!r}")


def time_since(events, cap: int = SINCE_CAP) -> np.ndarray:
    """events (T, V), nonzero where an event fired -> (T, V) steps since the last one
    (0 at its own step), ``cap`` if none happened in the last ``cap`` steps."""
    events = np.asarray(events)
    steps = np.arange(len(events))[:, None]
    last = np.maximum.accumulate(np.where(events != 0, steps, -cap - 1), axis=0)
    return np.minimum(steps - last, cap).astype(np.float64)


def build_features(x, *, names=VARIABLES, lags=(), windows=(), stats=("mean",),
                   counts=(), since=False):
    """Explicit memory: a feature table from rows x (T, V).

    - lags: for every variable, its value k steps ago, for each k (0 = now)
    - windows × stats: every rolling statistic over every window, for every variable
    - counts: for the event variables (EVENTS among ``names``), events per window
    - since: for the event variables, steps since the last one
    Returns (F (T, D), column names of length D), e.g. "load mean 8", "X since".
    """
    x = np.asarray(x, dtype=np.float64)
    names = list(names)
    if x.ndim != 2 or x.shape[1] != len(names):
        raise ValueError(f"x: expected (T, {len(names)}) rows, got shape {x.shape}")
    ev = [j for j, name in enumerate(names) if name in EVENTS]
    blocks, columns = [], []

    def add(values, label):
        blocks.append(values)
        columns.extend(f"{names[j]} {label}" if label else names[j] for j in cols)

    for k in lags:
        cols = range(len(names))
        add(lagged(x, k), f"lag {k}" if k else "")
    for w in windows:
        for stat in stats:
            cols = range(len(names))
            add(rolling(x, w, stat), f"{stat} {w}")
    for w in counts:
        cols = ev
        add(rolling(x[:, ev], w, "count"), f"count {w}")
    if since:
        cols = ev
        add(time_since(x[:, ev]), "since")
    return np.concatenate(blocks, axis=1), columns


def standard_features(x):
    """The carefully chosen table, 60 columns. For every variable: its value now and one
    step ago. For the continuous readings: the mean over 4, 8 and 16 steps and the slope
    over 8. For the event kinds: events per 4, 8 and 16 steps, and steps since the last.
    Returns (F (T, 60), names)."""
    x = np.asarray(x, dtype=np.float64)
    n = len(CONTINUOUS)
    readings = build_features(x[:, :n], names=CONTINUOUS, lags=(0, 1), windows=(4, 8, 16))
    slopes = build_features(x[:, :n], names=CONTINUOUS, windows=(8,), stats=("slope",))
    counts = build_features(x[:, n:], names=EVENTS, lags=(0, 1), windows=(), counts=(4, 8, 16),
                            since=True)
    parts = (readings, slopes, counts)
    return (np.concatenate([F for F, _ in parts], axis=1),
            [name for _, names in parts for name in names])


def exploded_features(x, windows=EXPLOSION_WINDOWS, stats=STATISTICS):
    """Every statistic over every window for every variable: (T, 10·8·5 = 400), names."""
    return build_features(x, windows=windows, stats=stats)


# --- splits and sequences -----------------------------------------------------------------

WARMUP = max(EXPLOSION_WINDOWS)
"""Steps at the start of a stream left out of every split, so each window is full."""


def time_splits(n_train: int, n_val: int, n_test: int, *, T: int | None = None):
    """Time-ordered (train, validation, test) slices: test is the last n_test steps,
    validation the n_val (may be 0) before it, training the n_train before that. The
    past trains, the future tests; nothing is shuffled.

    T defaults to the shortest stream that holds all three after WARMUP steps.
    """
    n_train, n_test = validate.positive_int("n_train", n_train), validate.positive_int(
        "n_test", n_test)
    if isinstance(n_val, bool) or not isinstance(n_val, int | np.integer) or n_val < 0:
        raise ValueError(f"n_val: expected a whole number of steps, 0 or more, got {n_val!r}")
    T = WARMUP + n_train + n_val + n_test if T is None else int(T)
    if T - n_test - n_val - n_train < WARMUP:
        raise ValueError(f"T: {T} steps cannot hold {WARMUP} warm-up steps and "
                         f"{n_train} + {n_val} + {n_test} more")
    test = slice(T - n_test, T)
    val = slice(test.start - n_val, test.start)
    return slice(val.start - n_train, val.start), val, test


def mislabel(y, fraction: float, stop: int, *, seed=0) -> np.ndarray:
    """Noisy labels: a copy of y (T,) in which round(fraction · P) of the P positives among
    time steps 0..stop − 1 are moved, each to a time step drawn at random from that range's
    negatives (a failure logged at the wrong time). The number of positives stays P; the
    labels from ``stop`` on (the test steps, say) are untouched."""
    y = np.array(y, dtype=np.float64)
    fraction = validate.in_range("fraction", fraction, 0.0, 1.0)
    stop = validate.positive_int("stop", stop)
    if stop > len(y):
        raise ValueError(f"stop: expected at most the {len(y)} labels, got {stop}")
    positives = np.flatnonzero(y[:stop] > 0)
    negatives = np.flatnonzero(y[:stop] == 0)
    k = min(int(round(fraction * len(positives))), len(negatives))
    rng = rng_from(seed)
    y[rng.choice(positives, size=k, replace=False)] = 0.0
    y[rng.choice(negatives, size=k, replace=False)] = 1.0
    return y


def chunks(x, y, length: int, stride: int) -> SequenceBatch:
    """Cut rows x (T, V) and labels y (T,) into overlapping pieces for a recurrent net:
    a SequenceBatch with xs (length, B, V) and y (length, B, 1), read at every step.
    Piece b starts at step b·stride; a last piece ending at step T − 1 is added if the
    stride skips the end."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    length, stride = validate.positive_int("length", length), validate.positive_int(
        "stride", stride)
    if len(x) < length:
        raise ValueError(f"x: expected at least length = {length} steps, got {len(x)}")
    starts = np.arange(0, len(x) - length + 1, stride)
    if starts[-1] != len(x) - length:
        starts = np.append(starts, len(x) - length)
    index = starts[None, :] + np.arange(length)[:, None]        # (length, B)
    return SequenceBatch(xs=x[index], y=y[index][..., None])
