"""lstm_lib: the small numpy library behind "LSTMs from scratch".

One module per idea, in the order the course meets them:

- activations  sigmoid, tanh, ReLU and their slopes
- neuron       the perceptron: a hyperplane learned by correction
- layers       Dense σ(Wx + b), the Linear readout head, the MLP
- rnn          the first loop: h_t = tanh(W_x x_t + W_h h_{t-1} + b)
- lstm         the LSTM cell: gates f, i, c̃, o and the c/h belt; a run with one gate
               held fixed (an ablation)
- losses       MSE, sigmoid and softmax cross-entropy from logits
- optim        SGD, Adam, global-norm clipping
- train        a training loop with a progress bar
- tasks        sequence tasks that probe memory: parity, adding, subject–verb agreement,
               the continual embedded Reber grammar
- readout      the head ŷ = W_y h_t + b_y on a recurrent cell; fit (one seed or several),
               evaluate, correct, accuracy;
               saving and loading trained models as plain arrays
- jacobians    backpropagation through time as a product of Jacobians; why the loop forgets
- events       event streams with rare positives; lags, rolling windows, counts and
               time since the last event, built without a loop over time
- corpus       real text: Python's standard library, read from the interpreter, encoded
- charlm       a character-level LSTM language model: truncated BPTT, sampling, an
               n-gram baseline, what its units and gates do
- gradcheck    numerical gradients to check every backward pass
- claims       ``check``: guard a sentence of prose with the number behind it
- widgets      the interactive figures notebooks show with one call (a package:
               one module per notebook)
- exercises    the checks for the exercises that end every notebook (a package: one
               module per notebook); ``exercises.check("05.1", answer)``

``widgets`` pulls in ipywidgets and matplotlib, so it is not imported here; notebooks
use ``from lstm_lib import exercises, widgets``.
"""

from . import charlm, corpus, events, tasks
from .activations import relu, relu_deriv, sigmoid, sigmoid_deriv, tanh, tanh_deriv
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
from .readout import (
    SequenceModel,
    accuracy,
    correct,
    evaluate,
    fit,
    fit_seeds,
    load_sequence_models,
    save_sequence_models,
)
from .rnn import RNN
from .seeding import rng_from
from .train import History, train

__version__ = "0.1.0"

__all__ = [
    "Adam", "ClaimFailed", "Dense", "History", "Linear", "LSTM", "MLP", "Perceptron", "RNN",
    "SequenceModel", "SGD", "accuracy", "charlm", "check", "check_layer", "clip_global_norm",
    "correct", "corpus", "evaluate", "events", "fit", "fit_seeds", "forward_pinned",
    "global_norm", "gradient_norms", "jacobian_products", "load_sequence_models",
    "log_softmax", "mse", "numerical_gradient", "relative_error", "relu", "relu_deriv",
    "rng_from", "save_sequence_models", "scale_to_spectral_norm", "sigmoid",
    "sigmoid_cross_entropy", "sigmoid_deriv", "softmax", "softmax_cross_entropy",
    "spectral_norm", "step_jacobians", "tanh", "tanh_deriv", "tasks", "train",
]
