"""lstm_lib: the small numpy library behind "LSTMs from scratch".

One module per idea, in the order the course meets them:

- activations  sigmoid, tanh, ReLU and their slopes (written from the output, as layers use them)
- seeding      one rule for randomness: layers, models and training loops require a seed
- neuron       the perceptron: a hyperplane learned by correction
- layers       Dense σ(Wx + b), the Linear readout head, the MLP
- mlp_training small MLPs trained full batch: XOR, two rings, one net or many seeds at once
- vocab        symbols as vectors: unknown symbols at index 0, one one-hot, notebook 03's words
- rnn          the first loop: h_t = tanh(W_x x_t + W_h h_{t-1} + b), and ``unroll`` step by step
- lstm         the LSTM cell: gates f, i, c̃, o and the c/h belt; a run with one gate
               held fixed (an ablation)
- losses       MSE, sigmoid and softmax cross-entropy from logits
- optim        SGD, Adam, global-norm clipping
- train        the one training loop (a step function called n times, with a progress bar)
               that fit, charlm.Trainer and fit_mlp drive
- tasks        sequence tasks that probe memory: parity, adding, subject–verb agreement,
               the continual embedded Reber grammar
- sequence_model  a recurrent cell with its head ŷ = W_y h_t + b_y; fit (one seed or
               several), evaluate, correct, accuracy; saving and loading trained models
               as plain arrays
- metrics      one rule for right and wrong (accuracy), average precision, accuracy by group
- jacobians    backpropagation through time as a product of Jacobians; why the loop forgets;
               the gradient highway of a fresh LSTM
- events       event streams with rare positives; lags, rolling windows, counts and
               time since the last event, built without a loop over time
- ladder       the baseline ladder on event streams: rule, logistic regression, boosted
               trees, LSTM; learning curves; the feature explosion
- corpus       real text: Python's standard library, read from the interpreter, encoded
- charlm       a character-level LSTM language model: truncated BPTT, bits per
               character, sampling
- ngram        its baseline: an interpolated Kneser–Ney character n-gram model
- interpret    what trained units and gates do: states, correlations with features, a
               unit chosen on one half of a text and measured on the other
- gradcheck    numerical gradients to check every backward pass
- claims       ``check``: guard a sentence of prose with the number behind it
- widgets      the interactive figures notebooks show with one call (a package:
               one module per notebook)
- exercises    the checks for the exercises that end every notebook (a package: one
               module per notebook); ``exercises.check("05.1", answer)``

``widgets`` pulls in ipywidgets and matplotlib, so it is not imported here; notebooks
use ``from lstm_lib import exercises, widgets``.
"""

from . import (
    charlm,
    corpus,
    events,
    interpret,
    jacobians,
    ladder,
    metrics,
    mlp_training,
    ngram,
    rnn,
    tasks,
    vocab,
)
from .activations import relu, sigmoid, tanh
from .claims import ClaimFailed, check
from .gradcheck import check_layer, numerical_gradient, relative_error
from .jacobians import (
    gradient_norms,
    jacobian_products,
    scale_to_spectral_norm,
    spectral_norm,
    step_jacobians,
)
from .layers import MLP, Dense, Linear
from .losses import log_softmax, mse, sigmoid_cross_entropy, softmax, softmax_cross_entropy
from .lstm import LSTM, forward_pinned
from .neuron import Perceptron
from .optim import SGD, Adam, clip_global_norm, global_norm
from .rnn import RNN
from .seeding import rng_from
from .sequence_model import (
    SequenceModel,
    accuracy,
    correct,
    evaluate,
    fit,
    fit_seeds,
    load_sequence_models,
    save_sequence_models,
)
from .train import History, train

__version__ = "0.1.0"

__all__ = [
    "Adam", "ClaimFailed", "Dense", "History", "Linear", "LSTM", "MLP", "Perceptron", "RNN",
    "SequenceModel", "SGD", "accuracy", "charlm", "check", "check_layer", "clip_global_norm",
    "correct", "corpus", "evaluate", "events", "fit", "fit_seeds", "forward_pinned",
    "global_norm", "gradient_norms", "interpret", "jacobian_products", "jacobians", "ladder",
    "load_sequence_models", "log_softmax", "metrics", "mlp_training", "mse", "ngram",
    "numerical_gradient", "relative_error", "relu", "rnn", "rng_from",
    "save_sequence_models", "scale_to_spectral_norm", "sigmoid", "sigmoid_cross_entropy",
    "softmax", "softmax_cross_entropy", "spectral_norm", "step_jacobians", "tanh", "tasks",
    "train", "vocab",
]
