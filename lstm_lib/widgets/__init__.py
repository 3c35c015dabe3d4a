"""Interactive figures that notebooks show with one call, one module per notebook.

- live         ``live_figure``: a figure that redraws in place inside a widget layout
- neuron       00: one neuron's response σ(w·x + b) (NeuronExplorer)
- hyperplane   01: the boundary w·x + b = 0, the perceptron's replay, XOR's wall
- layer        02: decision regions of small MLPs, XOR learned, fits by width

Each widget is split in two: pure functions that compute what the figure shows
(tested like any other code) and a thin ipywidgets + ipympl shell that draws it.
Every control is bounded and every computation is safe at the bounds, so no control
position can raise or draw NaN.

Notebooks call ``%matplotlib widget`` first, so figures are live ipympl canvases.
Under any other backend the widgets still work, redrawing a static image instead.
Everything is re-exported here: notebooks write ``widgets.HyperplaneExplorer(...)``.
"""

from .hyperplane import (
    HALF_PLANE_RGB,
    HyperplaneExplorer,
    LineSearch,
    PerceptronReplay,
    boundary_segment,
    count_errors,
    decision_grid,
    describe_hyperplane,
    describe_step,
    line_search,
    normal_arrow,
    plot_box,
)
from .layer import (
    ACTIVATION_CHOICES,
    PLANE,
    ActivationDepthExplorer,
    WidthFitExplorer,
    XorTrainingViewer,
    accuracy,
    boundary_segments,
    describe_regions,
    explore_activation_depth,
    fit_mlp,
    fit_widths,
    net_logits,
    neuron_line,
    plane_grid,
    two_rings,
    xor_points,
)
from .live import (
    live_figure,
)
from .neuron import (
    NeuronExplorer,
    describe_neuron,
    neuron_response,
    neuron_threshold,
)

__all__ = [
    "live_figure",
    "neuron_response",
    "neuron_threshold",
    "describe_neuron",
    "NeuronExplorer",
    "HALF_PLANE_RGB",
    "plot_box",
    "count_errors",
    "boundary_segment",
    "normal_arrow",
    "decision_grid",
    "describe_hyperplane",
    "HyperplaneExplorer",
    "describe_step",
    "PerceptronReplay",
    "LineSearch",
    "line_search",
    "ACTIVATION_CHOICES",
    "PLANE",
    "two_rings",
    "xor_points",
    "fit_mlp",
    "plane_grid",
    "net_logits",
    "boundary_segments",
    "accuracy",
    "explore_activation_depth",
    "describe_regions",
    "ActivationDepthExplorer",
    "neuron_line",
    "XorTrainingViewer",
    "fit_widths",
    "WidthFitExplorer",
]
