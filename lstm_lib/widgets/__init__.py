"""Interactive figures that notebooks show with one call, one module per notebook.

- live         ``live_figure``: a figure that redraws in place inside a widget layout
- checkup      00: the setup check (is this machine ready; does the browser redraw?)
- neuron       00: one neuron's response σ(w·x + b) (NeuronExplorer)
- hyperplane   01: the boundary w·x + b = 0, the perceptron's replay, XOR's wall
- layer        02: decision regions of small MLPs, XOR learned, fits by width
- loop         03: a tanh RNN unrolled over a sentence, step by step (UnrollViewer)
- forgetting   04: factor^n, real Jacobian products of a tanh RNN against σ₁^(T−t),
               training curves, agreement accuracy by attractors and distance and
               by training budget
- cell         05: the LSTM cell's wiring; its valves on one stored value (ValveExplorer)
- belt         06: the gradient highway, seeds and their spread, the gates of a trained
               agreement LSTM word by word (HighwayExplorer, GateViewer)
- baselines    07: the baseline ladder (rule, logistic regression, boosted trees, LSTM)
               on event streams; learning curves, the feature explosion (BaselineExplorer)
- text         08: a character LSTM's samples by temperature, its units as colour over
               the text, its gates' saturation (SampleExplorer, CellViewer)

Widgets hold figures and controls only: the models they show are trained and measured
by the library (mlp_training, jacobians, metrics, ladder, interpret, charlm), and each
module keeps the pure functions that turn those results into a figure or a readout
(tested like any other code) beside the thin ipywidgets + ipympl shell that draws it.
Every control is bounded and every computation is safe at the bounds, so no control
position can raise or draw NaN.

Notebooks call ``%matplotlib widget`` first, so figures are live ipympl canvases.
Under any other backend the widgets still work, redrawing a static image instead.
What the notebooks use is re-exported here: notebooks write
``widgets.HyperplaneExplorer(...)``; everything else is ``widgets.<module>.<name>``.
"""

from .baselines import (
    BaselineExplorer,
    plot_curves,
    plot_explosion,
    plot_stream,
)
from .belt import (
    DATA,
    GateViewer,
    HighwayExplorer,
    plot_spread,
)
from .cell import (
    BIAS_RANGE,
    READ_STEP,
    WRITE_STEP,
    ValveExplorer,
    draw_cell,
    valve_cell,
    valve_inputs,
    valve_run,
)
from .checkup import (
    SetupCheck,
)
from .forgetting import (
    JacobianExplorer,
    PowerExplorer,
    plot_agreement,
    plot_budget,
    plot_training,
    power_curve,
    steps_to_leave,
)
from .hyperplane import (
    HyperplaneExplorer,
    PerceptronReplay,
    boundary_segment,
    count_errors,
    decision_grid,
    line_search,
)
from .layer import (
    ActivationDepthExplorer,
    WidthFitExplorer,
    XorTrainingViewer,
    explore_activation_depth,
    fit_widths,
)
from .loop import (
    MAX_WORDS,
    UnrollViewer,
    draw_unrolled,
)
from .neuron import (
    NeuronExplorer,
    neuron_response,
    neuron_threshold,
)
from .text import (
    FEATURE_NAMES,
    SAMPLE_CHARS,
    CellViewer,
    SampleExplorer,
    plot_correlations,
    plot_learning,
    plot_saturation,
)

__all__ = [
    "ActivationDepthExplorer",
    "BaselineExplorer",
    "BIAS_RANGE",
    "boundary_segment",
    "CellViewer",
    "count_errors",
    "DATA",
    "decision_grid",
    "draw_cell",
    "draw_unrolled",
    "explore_activation_depth",
    "FEATURE_NAMES",
    "fit_widths",
    "GateViewer",
    "HighwayExplorer",
    "HyperplaneExplorer",
    "JacobianExplorer",
    "line_search",
    "MAX_WORDS",
    "neuron_response",
    "neuron_threshold",
    "NeuronExplorer",
    "PerceptronReplay",
    "plot_agreement",
    "plot_budget",
    "plot_correlations",
    "plot_curves",
    "plot_explosion",
    "plot_learning",
    "plot_saturation",
    "plot_spread",
    "plot_stream",
    "plot_training",
    "power_curve",
    "PowerExplorer",
    "READ_STEP",
    "SAMPLE_CHARS",
    "SampleExplorer",
    "SetupCheck",
    "steps_to_leave",
    "UnrollViewer",
    "valve_cell",
    "valve_inputs",
    "valve_run",
    "ValveExplorer",
    "WidthFitExplorer",
    "WRITE_STEP",
    "XorTrainingViewer",
]
