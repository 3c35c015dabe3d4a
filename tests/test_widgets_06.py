"""Notebook 06's library: the gradient highway against independent recomputation, seeds
and their spread, saved models, the gate viewer's arithmetic and every control at its
extremes; and the shipped models in data/ against the scripts that made them.

(How the widgets look and respond in a real browser is tested under headless Chromium.)
"""

import importlib.util
import os
import warnings
from unittest import mock

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import tasks, widgets

V = len(tasks.AGREEMENT_VOCAB)


def _script(name):
    """Import a script from data/ as a module (data/ is not a package), leaving the
    environment as it was (the scripts set OPENBLAS_NUM_THREADS for their own runs)."""
    spec = importlib.util.spec_from_file_location(name, widgets.DATA / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ):
        spec.loader.exec_module(module)
    return module


# --- the gradient highway ---------------------------------------------------------------

@pytest.fixture(scope="module")
def highway():
    return ll.jacobians.gradient_highway([-1.0, 0.0, 1.0, 3.0, 5.0], T=40, hidden_size=8, n=4,
                                    seed=2)


def test_highway_shapes_and_normalisation(highway):
    assert np.array_equal(highway["k"], np.arange(1, 41))
    curves = [highway["rnn"], *highway["lstm"].values(), *highway["belt"].values()]
    for curve in curves:
        assert curve.shape == (40,) and curve[-1] == pytest.approx(1.0)
        assert np.isfinite(curve).all() and (curve > 0).all()
    assert set(highway["lstm"]) == set(highway["belt"]) == {-1.0, 0.0, 1.0, 3.0, 5.0}


def test_highway_rnn_curve_is_the_product_of_jacobians(highway):
    # Independent route: notebook 04's Jacobian products, g · J_T ··· J_{k+1} per sequence.
    xs = tasks.adding(4, 40, seed=2).xs
    rnn = ll.RNN(2, 8, seed=2)
    rnn.forward(xs)
    w = np.random.default_rng(2).normal(size=8)
    w /= np.linalg.norm(w)
    P = ll.jacobian_products(ll.step_jacobians(rnn))               # (41, 4, 8, 8)
    norms = np.linalg.norm(np.einsum("i,tbij->tbj", w, P[1:]), axis=2).mean(axis=1)
    assert np.allclose(highway["rnn"], norms / norms[-1], rtol=1e-9)


def test_highway_belt_alone_is_a_product_of_forget_gates(highway):
    # With the recurrent weights zeroed, c_k reaches the loss only along the belt, so the
    # full ∂L/∂c_k must equal the belt's share, computed here with a plain loop.
    xs = tasks.adding(4, 40, seed=2).xs
    lstm = ll.LSTM(2, 8, seed=2, forget_bias=1.0)
    lstm.forward(xs)
    tr = lstm.trace
    w = np.random.default_rng(2).normal(size=8)
    w /= np.linalg.norm(w)
    lstm.backward(np.concatenate([np.zeros((39, 4, 8)), np.broadcast_to(w, (1, 4, 8))]))
    dc_T = lstm.trace.dc[-1]
    factor = np.ones((4, 8))
    expected = np.empty((40, 4))
    for t in reversed(range(40)):
        expected[t] = np.linalg.norm(dc_T * factor, axis=1)
        factor = factor * tr.f[t]
    curve = expected.mean(axis=1)
    assert np.allclose(highway["belt"][1.0], curve / curve[-1], rtol=1e-9)

    blocked = ll.LSTM(2, 8, seed=2, forget_bias=1.0)
    blocked.W_h[...] = 0.0                                          # no h → gates route
    blocked.forward(xs)
    blocked.backward(np.concatenate([np.zeros((39, 4, 8)), np.broadcast_to(w, (1, 4, 8))]))
    btr = blocked.trace
    factor = np.ones((4, 8))
    for t in reversed(range(40)):
        assert np.allclose(btr.dc[t], btr.dc[-1] * factor, rtol=1e-10, atol=1e-300)
        factor = factor * btr.f[t]


def test_a_larger_forget_bias_carries_more_gradient_back(highway):
    first = [highway["lstm"][b][0] for b in (-1.0, 0.0, 1.0, 3.0, 5.0)]
    assert all(a < b for a, b in zip(first, first[1:], strict=False))
    means = [highway["f_mean"][b] for b in (-1.0, 0.0, 1.0, 3.0, 5.0)]
    assert all(a < b for a, b in zip(means, means[1:], strict=False))
    assert abs(highway["f_mean"][0.0] - 0.5) < 0.1 and highway["f_mean"][5.0] > 0.95


def test_describe_highway(highway):
    text = widgets.belt.describe_highway(highway, 1.0)
    assert text.startswith("<b>forget bias 1</b>") and "step 40" in text and "tanh RNN" in text
    made_up = {"k": np.arange(1, 11), "rnn": np.full(10, 1e-9), "f_mean": {2.0: 0.9, 4.0: 0.98},
               "lstm": {2.0: np.full(10, 1e-7), 4.0: np.full(10, 3.0)},
               "belt": {2.0: np.full(10, 1e-13), 4.0: np.full(10, 0.5)}}
    shrank, grew = (widgets.belt.describe_highway(made_up, b) for b in (2.0, 4.0))
    assert "1e-07 of its size at step 10" in shrank and "1e+06 times the belt" in shrank
    assert "grew" not in shrank
    assert "3 of its size" in grew and "grew" in grew and "6 times the belt" in grew


def test_highway_explorer_every_bias(highway):
    explorer = widgets.HighwayExplorer(highway, forget_bias=1.0)
    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for b in sorted(highway["lstm"]):
            explorer.forget_bias.value = b
            y = np.asarray(explorer._lstm.get_ydata())
            assert np.array_equal(y, highway["lstm"][b]) and np.isfinite(y).all()
            seen.add(explorer.readout.value)
    assert len(seen) == 5
    with pytest.raises(ValueError, match="forget_bias: expected one of"):
        widgets.HighwayExplorer(highway, forget_bias=2.0)
    plt.close("all")


def test_highway_survives_extreme_biases():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        far = ll.jacobians.gradient_highway([-30.0, 30.0], T=60, hidden_size=4, n=2)
    for curve in (*far["lstm"].values(), *far["belt"].values()):
        assert np.isfinite(curve).all() and (curve >= ll.jacobians.TINY).all()


# --- spread of seeds, Reber hits -----------------------------------------------------

def test_plot_spread_draws_mean_band_and_seeds():
    fig, ax = plt.subplots()
    values = np.array([[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]])
    widgets.plot_spread(ax, [0, 1, 2], values, label="model", color="C0")
    mean = ax.lines[-1]
    assert np.allclose(mean.get_ydata(), [1.0, 2.0, 3.0]) and "2 seeds" in mean.get_label()
    assert len(ax.lines) == 3 and len(ax.collections) == 1
    plt.close(fig)


class _Fixed:
    """A stand-in model that answers given logits."""

    def __init__(self, logits):
        self.logits = logits

    def forward(self, xs):
        return self.logits


def test_reber_hits_needs_every_output_right():
    batch = tasks.continual_reber(3, 20, seed=0)
    perfect = 2 * batch.y - 1
    assert ll.metrics.reber_hits(_Fixed(perfect), batch).all()
    wrong = perfect.copy()
    wrong[5, 1, 3] *= -1
    hits = ll.metrics.reber_hits(_Fixed(wrong), batch)
    assert hits.shape == (20, 3) and hits.sum() == 59 and not hits[5, 1]


# --- saving and loading (lstm_lib.sequence_model) ------------------------------------------------

def test_models_round_trip_without_pickles(tmp_path, rng):
    models = {"lstm": ll.SequenceModel(ll.LSTM(3, 4, seed=1), 2, seed=1),
              "bare": ll.SequenceModel(ll.LSTM(3, 4, seed=2, forget_gate=False), 1, seed=2),
              "rnn": ll.SequenceModel(ll.RNN(3, 5, seed=3), 1, seed=3),
              "small": ll.SequenceModel(ll.LSTM(3, 2, seed=4, dtype=np.float32), 3, seed=4)}
    for model in models.values():
        model.head.params["b"][:] = rng.normal(size=model.head.params["b"].shape)
    path = tmp_path / "models.npz"
    ll.save_sequence_models(path, models, loss=np.arange(3.0), seed=7)
    with np.load(path, allow_pickle=False) as saved:               # plain arrays only
        assert "lstm.cell.W" in saved.files
    loaded, extra = ll.load_sequence_models(path)
    assert set(loaded) == set(models) and np.array_equal(extra["loss"], np.arange(3.0))
    assert int(extra["seed"]) == 7
    assert loaded["bare"].cell.forget_gate is False and isinstance(loaded["rnn"].cell, ll.RNN)
    assert loaded["small"].cell.params["W"].dtype == np.float32
    xs = rng.normal(size=(6, 2, 3))
    for name, model in models.items():
        x = xs.astype(model.cell.params["W"].dtype)
        assert np.array_equal(model.forward(x), loaded[name].forward(x)), name
    with pytest.raises(ValueError, match="without '.'"):
        ll.save_sequence_models(path, {"a.b": models["rnn"]})


# --- the gate viewer's arithmetic ---------------------------------------------------------

def test_agreement_words_cuts_at_the_verb_and_notes_unknown_words():
    words, note = widgets.belt.agreement_words("Dog fed often. The cats that the dog chased")
    assert words == ["dog", "fed", "often", ".", "the", "cats", "that", "the", "dog", "chased"]
    assert note == ""
    words, note = widgets.belt.agreement_words("the cats that the dog chased all day were tired")
    assert words == ["the", "cats", "that", "the", "dog", "chased"]
    assert "cut before “were”" in note and "“all”, “day”" in note
    words, note = widgets.belt.agreement_words("<b>cats</b>")
    assert words == [] and "&lt;b&gt;cats&lt;/b&gt;" in note
    words, note = widgets.belt.agreement_words(" ".join(["the", "cat"] * 20))
    assert len(words) == widgets.belt.MAX_WORDS and "kept the last" in note


def test_subject_index():
    assert widgets.belt.subject_index(["the", "cats", "that", "the", "dog"]) == 1
    assert widgets.belt.subject_index(["dog", "saw", ".", "the", "girls", "near"]) == 4
    assert widgets.belt.subject_index(["the", "quietly", "."]) is None


@pytest.fixture(scope="module")
def small_model():
    model = ll.SequenceModel(ll.LSTM(V, 6, seed=0), 1, seed=0)
    ll.fit(model, tasks.agreement(200, seed=0), ll.sigmoid_cross_entropy, steps=20,
           batch_size=32, progress=False, seed=0)
    return model


def test_gate_traces_match_the_model(small_model):
    words = ["dog", "saw", ".", "the", "cats", "that", "the", "dog", "chased"]
    traces = ll.interpret.gate_traces(small_model, words)
    for name in ("f", "i", "c_tilde", "o", "c", "h"):
        assert traces[name].shape == (6, 9), name
    batch = ll.tasks.AgreementBatch(xs=tasks.one_hot_words([words]), y=np.ones((1, 1)),
                                    at=np.array([8]))
    logit = small_model.forward(batch.xs, batch.at)[0, 0]
    assert traces["p_plural"][-1] == pytest.approx(ll.sigmoid(logit))
    assert np.allclose(traces["c"][:, -1], small_model.cell.trace.c[-1, 0])
    with pytest.raises(ValueError, match="at least one word"):
        ll.interpret.gate_traces(small_model, [])


def test_number_units_is_the_pooled_correlation(small_model):
    data = tasks.agreement(30, seed=5)
    corr = ll.interpret.number_units(small_model, data)
    small_model.forward(data.xs, data.at)
    c = small_model.cell.trace.c
    pairs, signs = [], []
    for b in range(len(data)):                                       # a plain loop
        for t in range(data.at[b] - data.distance[b], data.at[b] + 1):
            pairs.append(c[t, b])
            signs.append(1.0 if data.y[b, 0] == 1 else -1.0)
    pairs = np.array(pairs)
    expected = [np.corrcoef(pairs[:, j], signs)[0, 1] for j in range(6)]
    assert np.allclose(corr, expected, rtol=1e-10)


def test_gate_viewer_every_control(small_model):
    sentences = ["the cats that the dog chased", "dog saw . the girl near the boys"]
    viewer = widgets.GateViewer(small_model, sentences, unit=2)
    first = viewer.readout.value
    assert "the model predicts" in first
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viewer.sentence.value = sentences[1]
        assert viewer.text.value == sentences[1] and viewer.readout.value != first
        _, image, _ = viewer._panels["c"]
        assert np.asarray(image.get_array()).shape == (6, 8)
        ticks = viewer._p_ax.get_xticklabels()
        assert [t.get_text() for t in ticks][-1] == "boys" and ticks[-1].get_color() == "C3"
        assert ticks[4].get_text() == "girl" and ticks[4].get_fontweight() == "bold"
        viewer.text.value = "the cats that the dogs chased xyz"
        assert "left out “xyz”" in viewer.readout.value
        viewer.text.value = "nothing known here"
        assert "Nothing to read" in viewer.readout.value
        viewer.text.value = ""
        assert "Type a sentence" in viewer.readout.value
        viewer.text.value = " ".join(["the", "cats"] * 40)
        assert "kept the last 30" in viewer.readout.value
        for _, image, _ in viewer._panels.values():
            assert np.isfinite(np.asarray(image.get_array())).all()
    with pytest.raises(ValueError, match="unit: expected"):
        widgets.GateViewer(small_model, sentences, unit=6)
    with pytest.raises(TypeError, match="LSTM"):
        widgets.GateViewer(ll.SequenceModel(ll.RNN(V, 3, seed=0), 1, seed=0), sentences, unit=0)
    plt.close("all")


# --- the shipped models in data/ ----------------------------------------------------------

def test_shipped_agreement_lstm_is_what_its_script_trains():
    script = _script("train_agreement_lstm")
    models, extra = ll.load_sequence_models(script.OUT)
    shipped = models["lstm"]
    stored = extra["accuracy_by_attractors"]
    assert np.allclose(script.accuracy_by_attractors(shipped), stored, atol=1e-12)
    retrained, history = script.train()
    assert np.allclose(script.accuracy_by_attractors(retrained), stored, atol=0.01)
    assert np.allclose(history["loss"], extra["loss"], rtol=1e-6, atol=1e-9)
    assert np.allclose(retrained.cell.params["W"], shipped.cell.params["W"], atol=1e-6)


def test_shipped_adding_models_are_what_their_script_trains():
    script = _script("train_adding_models")
    models, extra = ll.load_sequence_models(script.OUT)
    assert set(models) == {f"{kind}{s}" for kind in ("lstm", "rnn") for s in range(5)}
    for kind in ("lstm", "rnn"):                      # the first steps, rerun
        assert extra[f"loss_{kind}"].shape == (5, script.STEPS[kind])
        _, history = script.train(kind, 0, steps=15)
        assert np.allclose(history["loss"], extra[f"loss_{kind}"][0, :15], rtol=1e-9)
    assert int(extra["steps"]) == script.STEPS["lstm"]
    assert int(extra["rnn_steps"]) == script.STEPS["rnn"]


def test_shipped_agreement_curves_are_what_their_script_trains():
    script = _script("train_agreement_curves")
    with np.load(script.OUT) as stored:
        stored = dict(stored)
    assert stored["accuracy_lstm"].shape == stored["accuracy_rnn"].shape == (10, 100)
    assert np.array_equal(stored["steps"], np.arange(10, 1001, 10))
    test = script.four_attractors()
    for kind in ("lstm", "rnn"):                      # the first 40 steps of seed 1, rerun
        history, curve = script.train(kind, 1, steps=40)
        assert np.allclose(history["loss"], stored[f"loss_{kind}"][1, :40], rtol=1e-9)
        assert np.allclose(curve, stored[f"accuracy_{kind}"][1, :4], atol=1e-12)
        # and the callback measured what ll.accuracy measures on the test set, at step 40
        model = ll.SequenceModel(script.CELLS[kind](1), 1, seed=1)
        ll.fit(model, ll.tasks.agreement(2000, seed=1), ll.sigmoid_cross_entropy, steps=40,
               lr=0.01, batch_size=32, seed=1, progress=False)
        assert ll.accuracy(model, test) == pytest.approx(curve[-1], abs=1e-12)


def test_shipped_reber_models_are_what_their_script_trains():
    script = _script("train_reber_models")
    models, extra = ll.load_sequence_models(script.OUT)
    assert set(models) == {f"{name}{s}" for name in ("gated", "bare") for s in range(5)}
    assert models["bare0"].cell.forget_gate is False and models["gated0"].cell.forget_gate
    checkpoints = list(extra["checkpoints"])
    kept = checkpoints.index(int(extra["kept_at"]))
    batch = script.stream()
    for name in ("gated", "bare"):                    # a stored model reads the stream as recorded
        long, largest = script.read_stream(models[f"{name}2"], batch)
        assert long == pytest.approx(extra[f"long_memory_{name}"][2, kept], abs=1e-12)
        assert largest == pytest.approx(extra[f"largest_c_{name}"][2, kept], rel=1e-9)
    model, history, table = script.train("gated", 0, steps=30)   # and the first steps, rerun
    assert np.allclose(history["loss"], extra["loss_gated"][0, :30], rtol=1e-9)
    assert model is None and len(table) == 0          # stopped before any checkpoint


def test_agreement_curves_at_another_learning_rate_are_what_the_script_trains():
    script = _script("train_agreement_curves")
    path = script.out_path(0.003)
    assert path.name == "agreement_curves_lr0.003.npz" and script.out_path() == script.OUT
    with np.load(path) as stored:
        stored = dict(stored)
    assert float(stored["lr"]) == 0.003
    assert stored["accuracy_lstm"].shape == stored["accuracy_rnn"].shape == (10, 200)
    assert np.array_equal(stored["steps"], np.arange(10, 2001, 10))
    for kind in ("lstm", "rnn"):                      # the first 30 steps of seed 2, rerun
        history, curve = script.train(kind, 2, steps=30, lr=0.003)
        assert np.allclose(history["loss"], stored[f"loss_{kind}"][2, :30], rtol=1e-9)
        assert np.allclose(curve, stored[f"accuracy_{kind}"][2, :3], atol=1e-12)
