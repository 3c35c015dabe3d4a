"""Notebook 03's widgets: the step-by-step loop against the fused RNN, sentences as one-hot
words, and the unroll viewer at every extreme a learner can type or slide to.

(How the viewer looks and responds in a real browser is tested under headless Chromium.)
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import FancyBboxPatch

import lstm_lib as ll
from lstm_lib import widgets

V = len(ll.vocab.TOY_VOCAB)


@pytest.fixture
def rnn():
    cell = ll.RNN(V, 6, seed=0)
    cell.params["W"] *= 3                      # states well inside tanh's range and beyond
    cell.params["b"][:] = np.linspace(-0.5, 0.5, 6)
    return cell


def test_tokenize():
    assert ll.vocab.tokenize("The dog, the CAT!") == ["the", "dog", "the", "cat"]
    assert ll.vocab.tokenize("don't stop") == ["don't", "stop"]
    assert ll.vocab.tokenize("") == [] and ll.vocab.tokenize("  ?!. ,") == []
    assert ll.vocab.tokenize("a b c d e", max_words=2) == ["a", "b"]
    with pytest.raises(TypeError, match="text: expected a str"):
        ll.vocab.tokenize(None)


def test_one_hot_marks_one_slot_per_word_and_unknowns_as_unk():
    words = ["dog", "zebra", "the"]
    xs = ll.vocab.one_hot_words(words)
    assert xs.shape == (3, V) and np.array_equal(xs.sum(axis=1), np.ones(3))
    assert xs[0, ll.vocab.TOY_VOCAB.index("dog")] == 1
    assert xs[1, ll.vocab.TOY_VOCAB.index(ll.vocab.UNK)] == 1
    assert ll.vocab.one_hot_words([]).shape == (0, V)
    with pytest.raises(ValueError, match="vocab: expected it to start with"):
        ll.vocab.one_hot_words(["dog"], vocab=("dog", "cat"))


def test_every_example_sentence_is_in_the_vocabulary():
    for sentence in widgets.loop.TOY_SENTENCES:
        assert all(w in ll.vocab.TOY_VOCAB for w in ll.vocab.tokenize(sentence)), sentence
        assert len(ll.vocab.tokenize(sentence)) <= widgets.MAX_WORDS


def test_unroll_equals_the_fused_forward(rnn):
    # Independent truth: RNN.forward projects every step's input in one product and runs
    # a separate loop; unroll is the equation written out one step at a time.
    xs = np.random.default_rng(1).normal(size=(9, V))
    h0 = np.random.default_rng(2).uniform(-1, 1, size=6)
    hs_fused, _ = rnn.forward(xs[:, None, :], h0[None])
    assert np.allclose(ll.rnn.unroll(rnn, xs, h0), hs_fused[:, 0], atol=1e-12)
    hs_zero, _ = rnn.forward(xs[:, None, :])
    assert np.allclose(ll.rnn.unroll(rnn, xs), hs_zero[:, 0], atol=1e-12)


def test_unroll_first_step_by_hand(rnn):
    x = ll.vocab.one_hot_words(["dog"])[0]
    W, b = rnn.params["W"], rnn.params["b"]
    z = np.concatenate([np.zeros(6), x])            # z_1 = [h_0, x_1], h_0 = 0
    assert np.allclose(ll.rnn.unroll(rnn, x[None])[0], np.tanh(W @ z + b))
    # a one-hot x_1 picks one column of W_x: the word's own column of weights
    assert np.allclose(ll.rnn.unroll(rnn, x[None])[0],
                       np.tanh(W[:, 6 + ll.vocab.TOY_VOCAB.index("dog")] + b))


def test_unroll_of_nothing_is_empty(rnn):
    hs = ll.rnn.unroll(rnn, np.zeros((0, V)))
    assert hs.shape == (0, 6)


def test_a_state_depends_only_on_the_words_so_far(rnn):
    a = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(ll.vocab.tokenize("dog bites man")))
    b = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(ll.vocab.tokenize("dog bites the man")))
    assert np.array_equal(a[:2], b[:2]) and not np.allclose(a[2], b[2])


def test_word_order_changes_the_final_state_but_not_the_bag(rnn):
    one, other = ll.vocab.tokenize("dog bites man"), ll.vocab.tokenize("man bites dog")
    assert np.array_equal(ll.vocab.one_hot_words(one).sum(0), ll.vocab.one_hot_words(other).sum(0))
    h_one = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(one))[-1]
    h_other = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(other))[-1]
    assert np.abs(h_one - h_other).max() > 0.1


def test_describe_unroll_step(rnn):
    words = ["dog", "bites", "zebra"]
    hs = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(words))
    first = widgets.loop.describe_unroll_step(words, 1, hs)
    assert "step 1 of 3: “dog”" in first and "1 tanh layer " in first
    assert f"moved {np.linalg.norm(hs[0]):.2f}" in first          # from h_0 = 0
    last = widgets.loop.describe_unroll_step(words, 3, hs)
    assert "3 tanh layers" in last and f"moved {np.linalg.norm(hs[2] - hs[1]):.2f}" in last
    assert "1 word read as &lt;unk&gt;" in last and "<unk>" not in last    # escaped for HTML
    assert "no words" in widgets.loop.describe_unroll_step([], 1, np.zeros((0, 6)))
    assert "first 3 of 40 words" in widgets.loop.describe_unroll_step(words, 2, hs, n_typed=40)
    assert "step 3 of 3" in widgets.loop.describe_unroll_step(words, 99, hs)    # clamped


def test_row_label():
    assert widgets.loop.row_label("dog") == "dog"
    assert widgets.loop.row_label("zebra") == "zebra*"
    assert widgets.loop.row_label("antidisestablishment") == "antidises…*"


def _stack(viewer):
    return viewer._stack.get_array()


def test_viewer_opens_at_the_step_asked_for(rnn):
    viewer = widgets.UnrollViewer(rnn, sentence=widgets.loop.TOY_SENTENCES[3])
    assert viewer.t.max == 10 and viewer.t.value == 1 and not viewer.t.disabled
    assert "step 1 of 10" in viewer.readout.value
    shown = _stack(viewer)
    assert not shown.mask[0].any() and shown.mask[1:].all()
    assert widgets.UnrollViewer(rnn, sentence=widgets.loop.TOY_SENTENCES[3], t=4).t.value == 4
    assert widgets.UnrollViewer(rnn, sentence=widgets.loop.TOY_SENTENCES[0], t=99).t.value == 3
    with pytest.raises(ValueError, match="t: expected"):
        widgets.UnrollViewer(rnn, t=0)


def test_rows_not_yet_computed_are_grey_not_white(rnn):
    viewer = widgets.UnrollViewer(rnn, sentence=widgets.loop.TOY_SENTENCES[3])
    image = viewer._stack
    grey = image.cmap(np.ma.masked_all(1))[0]                 # the colour of a masked cell
    white = image.cmap(image.norm(0.0))                       # the colour of a state entry 0
    assert np.allclose(grey[:3], 0.82) and not np.allclose(grey[:3], white[:3], atol=0.05)


def test_viewer_slider_follows_the_sentence(rnn):
    viewer = widgets.UnrollViewer(rnn, sentence=widgets.loop.TOY_SENTENCES[3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for sentence in widgets.loop.TOY_SENTENCES:
            viewer.sentence.value = sentence
            T = len(ll.vocab.tokenize(sentence))
            assert viewer.text.value == sentence
            assert viewer.t.max == viewer.t.value == T == len(viewer.words)
            assert viewer.hs.shape == (T, 6)
            assert f"step {T} of {T}" in viewer.readout.value
            assert _stack(viewer).shape == (T, 6) and not np.ma.is_masked(_stack(viewer))


def test_viewer_every_step_shows_the_states_so_far(rnn):
    viewer = widgets.UnrollViewer(rnn, sentence=widgets.loop.TOY_SENTENCES[3])
    words = ll.vocab.tokenize(widgets.loop.TOY_SENTENCES[3])
    expected = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(words))
    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for t in (1, 2, 5, 10):
            viewer.t.value = t
            shown = _stack(viewer)
            assert np.allclose(shown[:t], expected[:t]) and shown.mask[t:].all()
            assert not shown.mask[:t].any()
            assert np.allclose(viewer._strip_h.get_array()[0], expected[t - 1])
            prev = expected[t - 2] if t > 1 else np.zeros(6)
            assert np.allclose(viewer._strip_prev.get_array()[0], prev)
            x_t = viewer._strip_x.get_array()[0]
            assert x_t.sum() == 1 and x_t[ll.vocab.TOY_VOCAB.index(viewer.words[t - 1])] == 1
            seen.add(viewer.readout.value)
    assert len(seen) == 4


@pytest.mark.parametrize("text", ["", "   ", "?!,.", "zebra", "x" * 5000,
                                  "the dog " * 500, "日本語 ünïcödé dog", "1 2 3"])
def test_viewer_survives_any_typed_text(rnn, text):
    viewer = widgets.UnrollViewer(rnn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viewer.text.value = text
        T = len(ll.vocab.tokenize(text, widgets.MAX_WORDS))
        assert len(viewer.words) == T <= widgets.MAX_WORDS
        if T == 0:
            assert viewer.t.disabled and "no words" in viewer.readout.value
            assert np.ma.getmaskarray(_stack(viewer)).all()
        else:
            assert not viewer.t.disabled and viewer.t.max == T
            for t in (1, T):
                viewer.t.value = t
                assert np.isfinite(np.ma.compressed(_stack(viewer))).all()
        viewer.text.value = "dog bites man"                # and back to a normal sentence
        assert viewer.t.max == 3 and not viewer.t.disabled
        assert "step 3 of 3" in viewer.readout.value


def test_viewer_says_when_it_reads_only_part_of_the_text(rnn):
    viewer = widgets.UnrollViewer(rnn)
    viewer.text.value = "the dog " * 20
    assert "only the first 16 of 40 words" in viewer.readout.value


def test_viewer_rejects_a_mismatched_cell_or_start():
    with pytest.raises(ValueError, match="rnn: expected input_size = len"):
        widgets.UnrollViewer(ll.RNN(3, 4, seed=0))
    with pytest.raises(ValueError, match="sentence: expected one of"):
        widgets.UnrollViewer(ll.RNN(V, 4, seed=0), sentence="not offered")


def test_draw_unrolled_has_one_box_and_one_state_per_word(rnn):
    words = ll.vocab.tokenize(widgets.loop.TOY_SENTENCES[2])
    hs = ll.rnn.unroll(rnn, ll.vocab.one_hot_words(words))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = widgets.draw_unrolled(words, hs)
    ax = fig.axes[0]
    assert sum(isinstance(p, FancyBboxPatch) for p in ax.patches) == len(words)
    assert len(ax.images) == len(words)
    assert all(np.allclose(im.get_array()[:, 0], h) for im, h in zip(ax.images, hs, strict=True))
    plt.close(fig)
    with pytest.raises(ValueError, match="words: expected at least one word"):
        widgets.draw_unrolled([], np.zeros((0, 6)))
