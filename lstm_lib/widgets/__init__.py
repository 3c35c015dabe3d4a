"""Interactive figures that notebooks show with one call, one module per notebook.

- live         ``live_figure``: a figure that redraws in place inside a widget layout
- neuron       00: one neuron's response σ(w·x + b) (NeuronExplorer)
- hyperplane   01: the boundary w·x + b = 0, the perceptron's replay, XOR's wall
- layer        02: decision regions of small MLPs, XOR learned, fits by width
- loop         03: a tanh RNN unrolled over a sentence, step by step (UnrollViewer)
- forgetting   04: factor^n, real Jacobian products of a tanh RNN against σ₁^(T−t),
               training curves, agreement accuracy by attractors and distance
- cell         05: the LSTM cell's wiring; its valves on one stored value (ValveExplorer)
- belt         06: the gradient highway, seeds and their spread, the gates of a trained
               agreement LSTM word by word (HighwayExplorer, GateViewer)
- text         08: a character LSTM's samples by temperature, its units as colour over
               the text, its gates' saturation (SampleExplorer, CellViewer)

Each widget is split in two: pure functions that compute what the figure shows
(tested like any other code) and a thin ipywidgets + ipympl shell that draws it.
Every control is bounded and every computation is safe at the bounds, so no control
position can raise or draw NaN.

Notebooks call ``%matplotlib widget`` first, so figures are live ipympl canvases.
Under any other backend the widgets still work, redrawing a static image instead.
Everything is re-exported here: notebooks write ``widgets.HyperplaneExplorer(...)``.
"""

from .belt import (
    DATA,
    GATE_PANELS,
    GateViewer,
    HighwayExplorer,
    agreement_words,
    describe_highway,
    describe_sentence,
    fit_seeds,
    gate_traces,
    gradient_highway,
    number_units,
    plot_spread,
    reber_hits,
    subject_index,
)
from .cell import (
    BIAS_RANGE,
    DEFAULT_BIASES,
    READ_STEP,
    WRITE_STEP,
    ValveExplorer,
    ValveRun,
    describe_valves,
    draw_cell,
    valve_cell,
    valve_inputs,
    valve_run,
)
from .forgetting import (
    JacobianExplorer,
    PowerExplorer,
    accuracy_by,
    describe_jacobians,
    describe_power,
    jacobian_norm_curve,
    plot_agreement,
    plot_training,
    power_curve,
    steps_to_leave,
    trailing_mean,
)
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
from .loop import (
    MAX_WORDS,
    TOY_SENTENCES,
    TOY_VOCAB,
    UNK,
    UnrollViewer,
    describe_unroll_step,
    draw_unrolled,
    one_hot,
    row_label,
    tokenize,
    unroll,
)
from .neuron import (
    NeuronExplorer,
    describe_neuron,
    neuron_response,
    neuron_threshold,
)
from .text import (
    FEATURE_NAMES,
    PROMPT_CHARS,
    SAMPLE_CHARS,
    SHOWN,
    TEMPERATURE_RANGE,
    CellViewer,
    SampleExplorer,
    best_units,
    char_label,
    colour,
    coloured_text,
    describe_sample,
    describe_unit,
    plot_correlations,
    plot_learning,
    plot_saturation,
    sample_html,
    top_chars,
)

__all__ = [
    "live_figure", "neuron_response", "neuron_threshold", "describe_neuron", "NeuronExplorer",
    "HALF_PLANE_RGB", "plot_box", "count_errors", "boundary_segment", "normal_arrow",
    "decision_grid", "describe_hyperplane", "HyperplaneExplorer", "describe_step",
    "PerceptronReplay", "LineSearch", "line_search", "ACTIVATION_CHOICES", "PLANE",
    "two_rings", "xor_points", "fit_mlp", "plane_grid", "net_logits", "boundary_segments",
    "accuracy", "explore_activation_depth", "describe_regions", "ActivationDepthExplorer",
    "neuron_line", "XorTrainingViewer", "fit_widths", "WidthFitExplorer", "UNK", "TOY_VOCAB",
    "TOY_SENTENCES", "MAX_WORDS", "tokenize", "one_hot", "unroll", "describe_unroll_step",
    "row_label", "UnrollViewer", "draw_unrolled", "power_curve", "steps_to_leave",
    "describe_power", "PowerExplorer", "jacobian_norm_curve", "describe_jacobians",
    "JacobianExplorer", "trailing_mean", "plot_training", "accuracy_by", "plot_agreement",
    "draw_cell", "WRITE_STEP", "READ_STEP", "DEFAULT_BIASES", "BIAS_RANGE", "valve_inputs",
    "valve_cell", "ValveRun", "valve_run", "describe_valves", "ValveExplorer", "DATA",
    "gradient_highway", "describe_highway", "HighwayExplorer", "fit_seeds", "plot_spread",
    "reber_hits", "agreement_words", "subject_index", "gate_traces", "number_units",
    "GATE_PANELS", "describe_sentence", "GateViewer", "SHOWN", "FEATURE_NAMES",
    "TEMPERATURE_RANGE", "PROMPT_CHARS", "SAMPLE_CHARS", "char_label", "top_chars", "colour",
    "coloured_text", "sample_html", "describe_sample", "SampleExplorer", "describe_unit",
    "CellViewer", "best_units", "plot_correlations", "plot_saturation", "plot_learning",
]
