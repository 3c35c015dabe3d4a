"""The sequence tasks (parity, adding, agreement) and the readout model that learns them.

Each task is checked against its definition recomputed independently (loops over the
raw bits, the words of each sentence); the readout's backward against numerical
gradients; fit against what training must achieve.
"""

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import tasks

PLURALS = {plural for _, plural in tasks.NOUNS}
SINGULARS = {singular for singular, _ in tasks.NOUNS}


def test_parity_is_the_running_parity():
    batch = tasks.parity(5, 12, seed=3)
    assert batch.xs.shape == (12, 5, 1) and batch.y.shape == (12, 5, 1) and batch.at is None
    for b in range(5):
        ones = 0
        for t in range(12):
            ones += int(batch.xs[t, b, 0])
            assert batch.y[t, b, 0] == ones % 2
    assert np.array_equal(batch.xs, tasks.parity(5, 12, seed=3).xs)
    assert not np.array_equal(batch.xs, tasks.parity(5, 12, seed=4).xs)


def test_adding_marks_one_value_per_half_and_sums_them():
    T = 9
    batch = tasks.adding(50, T, seed=0)
    assert batch.xs.shape == (T, 50, 2) and batch.y.shape == (50, 1)
    assert np.all(batch.at == T - 1)
    for b in range(50):
        marked = np.flatnonzero(batch.xs[:, b, 1])
        assert len(marked) == 2 and marked[0] < T // 2 <= marked[1]
        assert batch.y[b, 0] == pytest.approx(batch.xs[marked, b, 0].sum())


def test_adding_second_within_moves_only_the_second_marker():
    T, n = 20, 400
    usual, near = tasks.adding(n, T, seed=3), tasks.adding(n, T, second_within=5, seed=3)
    assert np.array_equal(usual.xs[..., 0], near.xs[..., 0])        # the same values
    assert np.array_equal(usual.xs[: T // 2, :, 1], near.xs[: T // 2, :, 1])   # first marker
    second = np.array([np.flatnonzero(near.xs[T // 2:, b, 1])[0] + T // 2 for b in range(n)])
    assert set(second) == set(range(T - 5, T))                    # every one of the last 5
    first = near.xs[: T // 2, :, 1].argmax(axis=0)
    assert np.allclose(near.y[:, 0], near.xs[first, np.arange(n), 0]
                       + near.xs[second, np.arange(n), 0])
    assert np.array_equal(tasks.adding(n, T, second_within=T // 2, seed=3).xs, usual.xs)


def test_always_answering_one_scores_the_adding_baseline():
    y = tasks.adding(200_000, 4, seed=1).y
    assert np.mean((y - 1.0) ** 2) == pytest.approx(tasks.ADDING_BASELINE_MSE, abs=2e-3)


def _words_back(batch):
    """Decode xs back into words, independently of the generator's own lists."""
    vocab = np.array(tasks.AGREEMENT_VOCAB)
    return [list(vocab[batch.xs[: batch.at[b] + 1, b].argmax(axis=1)])
            for b in range(len(batch))]


def test_agreement_labels_follow_the_subject_not_the_nearest_noun():
    batch = tasks.agreement(300, seed=5)
    assert batch.words == _words_back(batch)
    assert np.all(batch.xs.sum(axis=2)[np.arange(batch.xs.shape[0])[:, None]
                                        <= batch.at[None]] == 1)        # one word per step
    for b, words in enumerate(batch.words):
        start = words.index(".") + 1 if "." in words else 0
        assert words[start] == "the"
        subject = words[start + 1]
        plural = subject in PLURALS
        assert batch.y[b, 0] == float(plural)
        later = [w for w in words[start + 2:] if w in PLURALS | SINGULARS]
        assert batch.attractors[b] == sum((w in PLURALS) != plural for w in later)
        assert batch.distance[b] == len(words) - (start + 2)
    assert 0 < batch.y.mean() < 1 and batch.attractors.max() > 0


@pytest.mark.parametrize("k", [0, 2, 4])
def test_agreement_with_k_attractors_has_exactly_k(k):
    batch = tasks.agreement(100, nouns=(4, 4), attractors=k, seed=k)
    assert np.all(batch.attractors == k)


def test_agreement_knobs_set_distance_and_context():
    near = tasks.agreement(50, nouns=(0, 0), filler=(0, 0), context=(0, 0), seed=0)
    assert np.all(near.distance == 0) and all(len(w) == 2 for w in near.words)
    far = tasks.agreement(50, nouns=(0, 0), filler=(7, 7), seed=0)
    assert np.all(far.distance == 7)


def test_take_selects_sequences_in_every_field():
    batch = tasks.agreement(20, seed=2)
    part = batch.take(np.array([3, 7]))
    assert part.xs.shape[1] == 2 and part.words == [batch.words[3], batch.words[7]]
    assert np.array_equal(part.at, batch.at[[3, 7]]) and np.array_equal(part.y, batch.y[[3, 7]])
    every_step = tasks.parity(6, 4, seed=0).take(slice(1, 3))
    assert every_step.xs.shape == (4, 2, 1) and every_step.y.shape == (4, 2, 1)


@pytest.mark.parametrize("call, message", [
    (lambda: tasks.adding(4, 1), "T: expected at least 2"),
    (lambda: tasks.adding(4, 10, second_within=6),
     "second_within: expected a number in .1, 5., got 6"),
    (lambda: tasks.adding(4, 10, second_within=0), "second_within: expected a positive int"),
    (lambda: tasks.parity(0, 5), "n: expected a positive int"),
    (lambda: tasks.agreement(4, nouns=(3, 1)), "nouns: expected 0 <= min <= max, got (3, 1)"),
    (lambda: tasks.agreement(4, filler=5), "filler: expected a (min, max) pair of ints"),
    (lambda: tasks.agreement(4, nouns=(1, 2), attractors=3), "attractors: expected a number in"),
    (lambda: tasks.agreement(4, p_attractor=1.5), "p_attractor: expected a number in [0.0, 1.0]"),
])
def test_task_arguments_are_checked(call, message):
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(")
                       .replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")):
        call()


# --- the readout model ------------------------------------------------------------------

@pytest.mark.parametrize("make_cell", [lambda: ll.RNN(3, 4, seed=1), lambda: ll.LSTM(3, 4, seed=1)])
@pytest.mark.parametrize("read", ["every step", "one step each"])
def test_sequence_model_backward_matches_numerical_gradients(rng, make_cell, read):
    model = ll.SequenceModel(make_cell(), 2, seed=2)
    xs = rng.normal(size=(5, 3, 3))
    at = None if read == "every step" else np.array([4, 1, 2])
    R = rng.normal(size=(5, 3, 2) if at is None else (3, 2))

    def loss():
        return float(np.sum(model.forward(xs, at) * R))

    loss()
    dxs = model.backward(R)
    for layer in model.layers:
        for name, p in layer.params.items():
            assert ll.relative_error(layer.grads[name],
                                     ll.numerical_gradient(loss, p)) < 1e-6, name
    assert ll.relative_error(dxs, ll.numerical_gradient(loss, xs)) < 1e-6


def test_reading_one_step_equals_reading_every_step_then_picking(rng):
    model = ll.SequenceModel(ll.LSTM(3, 5, seed=0), 1, seed=0)
    xs = rng.normal(size=(6, 4, 3))
    at = np.array([0, 5, 2, 2])
    every = model.forward(xs)
    assert np.allclose(model.forward(xs, at), every[at, np.arange(4)])


def test_fit_learns_short_adding_and_is_repeatable():
    data = tasks.adding(500, 6, seed=0)
    test = tasks.adding(500, 6, seed=1)

    def run():
        model = ll.SequenceModel(ll.RNN(2, 16, seed=0), 1, seed=0)
        history = ll.fit(model, data, ll.mse, steps=300, lr=0.01, batch_size=50, seed=0,
                         progress=False)
        return model, history

    model, history = run()
    assert ll.evaluate(model, test, ll.mse) < 0.3 * tasks.ADDING_BASELINE_MSE
    assert history["loss"][-10:].mean() < history["loss"][:10].mean()
    assert np.array_equal(history["loss"], run()[1]["loss"])


def test_fit_reports_gradient_norms_before_clipping_and_clips():
    data = tasks.adding(64, 8, seed=0)
    model = ll.SequenceModel(ll.RNN(2, 8, seed=0), 1, seed=0)
    history = ll.fit(model, data, ll.mse, steps=3, clip=1e-3, optimizer="sgd", lr=0.1,
                     progress=False, seed=0)
    assert np.all(history["grad_norm"] > 1e-3)          # measured before the rescaling
    assert ll.global_norm(model.layers) == pytest.approx(1e-3)


def test_fit_stops_when_the_weights_blow_up():
    data = tasks.adding(64, 20, seed=0)
    model = ll.SequenceModel(ll.RNN(2, 8, seed=0), 1, seed=0)
    with np.errstate(all="raise"):                      # fit itself must not warn
        history = ll.fit(model, data, ll.mse, steps=50, lr=1e12, optimizer="sgd",
                         progress=False, seed=0)
    assert history.diverged_at is not None and history.diverged_at < 50


def test_accuracy_counts_the_sign_of_the_logit():
    data = tasks.agreement(40, seed=0)
    model = ll.SequenceModel(ll.RNN(len(tasks.AGREEMENT_VOCAB), 4, seed=0), 1, seed=0)
    model.head.params["W"][:] = 0
    model.head.params["b"][:] = 1.0                     # always "plural"
    assert ll.accuracy(model, data) == pytest.approx(data.y.mean())
    right = ll.correct(model, data)                     # per sentence: right iff plural
    assert right.shape == data.y.shape and np.array_equal(right, data.y == 1)


@pytest.mark.parametrize("call, message", [
    (lambda m, d: ll.fit(m, d, np.mean, steps=1, seed=0), "loss: expected one of ll.mse"),
    (lambda m, d: ll.fit(m, d, ll.mse, steps=1, optimizer="rmsprop", seed=0),
     "optimizer: expected"),
    (lambda m, d: m.forward(d.xs, np.zeros(3, dtype=int)), r"at: expected \(8,\) integer"),
    (lambda m, d: m.forward(d.xs, np.full(8, 99)), r"at: expected steps in \[0, 5\)"),
    (lambda m, d: ll.SequenceModel("rnn", 1, seed=0), "cell: expected an lstm_lib RNN or LSTM"),
])
def test_readout_arguments_are_checked(call, message):
    model = ll.SequenceModel(ll.RNN(2, 3, seed=0), 1, seed=0)
    with pytest.raises((ValueError, TypeError), match=message):
        call(model, tasks.adding(8, 5))


def test_fit_seeds_trains_one_repeatable_model_per_seed():
    data = tasks.agreement(40, seed=0)
    runs = ll.fit_seeds(lambda s: ll.RNN(len(tasks.AGREEMENT_VOCAB), 4, seed=s), [0, 1], data,
                        ll.sigmoid_cross_entropy, steps=3, batch_size=8)
    again = ll.fit_seeds(lambda s: ll.RNN(len(tasks.AGREEMENT_VOCAB), 4, seed=s), [1], data,
                         ll.sigmoid_cross_entropy, steps=3, batch_size=8)
    assert len(runs) == 2 and all(len(h["loss"]) == 3 for _, h in runs)
    assert np.array_equal(runs[1][0].cell.params["W"], again[0][0].cell.params["W"])
    assert not np.array_equal(runs[0][0].cell.params["W"], runs[1][0].cell.params["W"])


def test_fit_burn_in_ignores_the_first_steps_in_loss_and_gradient():
    # Independent truth: the same step by hand, the loss taken on steps burn_in.. only.
    data = tasks.parity(16, 9, seed=0)

    def fresh():
        return ll.SequenceModel(ll.RNN(1, 5, seed=0), 1, seed=0)

    by_hand = fresh()
    logits = by_hand.forward(data.xs)
    loss, dscored = ll.sigmoid_cross_entropy(logits[4:], data.y[4:])
    by_hand.backward(np.concatenate([np.zeros_like(logits[:4]), dscored]))

    model = fresh()        # fit's gradients are those of the weights before its update
    history = ll.fit(model, data, ll.sigmoid_cross_entropy, steps=1, burn_in=4,
                     optimizer="sgd", progress=False, seed=0)
    assert history["loss"][0] == pytest.approx(loss)
    for k, g in model.cell.grads.items():
        assert np.allclose(g, by_hand.cell.grads[k], rtol=1e-12, atol=1e-15)
    # The burn-in steps' targets cannot matter: flip them and nothing changes.
    flipped = tasks.SequenceBatch(xs=data.xs, y=np.concatenate([1 - data.y[:4], data.y[4:]]))
    again = ll.fit(fresh(), flipped, ll.sigmoid_cross_entropy, steps=1, burn_in=4,
                   optimizer="sgd", progress=False, seed=0)
    assert again["loss"][0] == pytest.approx(loss)


def test_fit_calls_back_every_so_many_steps_without_changing_training():
    data = tasks.adding(64, 6, seed=0)
    seen = []

    def run(**kwargs):
        model = ll.SequenceModel(ll.RNN(2, 4, seed=0), 1, seed=0)
        return ll.fit(model, data, ll.mse, steps=10, batch_size=16, progress=False, seed=0,
                      **kwargs)

    plain = run()
    watched = run(every=4, callback=lambda k, m: seen.append((k, ll.evaluate(m, data, ll.mse))))
    assert [k for k, _ in seen] == [4, 8]
    assert np.array_equal(plain["loss"], watched["loss"])


@pytest.mark.parametrize("kwargs, message", [
    ({"burn_in": -1}, "burn_in: expected an int >= 0"),
    ({"burn_in": 5}, "burn_in: expected fewer than the 5 steps"),
    ({"every": 3}, "every, callback: give both or neither"),
    ({"every": 0, "callback": print}, "every: expected a positive int"),
])
def test_fit_burn_in_and_callback_arguments_are_checked(kwargs, message):
    model = ll.SequenceModel(ll.RNN(1, 3, seed=0), 1, seed=0)
    with pytest.raises(ValueError, match=message):
        ll.fit(model, tasks.parity(4, 5), ll.sigmoid_cross_entropy, steps=1, progress=False,
               seed=0, **kwargs)


def test_fit_burn_in_needs_data_read_at_every_step():
    model = ll.SequenceModel(ll.RNN(2, 3, seed=0), 1, seed=0)
    with pytest.raises(ValueError, match="burn_in: only for data read at every step"):
        ll.fit(model, tasks.adding(8, 5), ll.mse, steps=1, burn_in=1, progress=False, seed=0)


def test_fit_chooses_targets_by_the_loss_itself_not_its_name():
    def softmax_cross_entropy(logits, target):          # a look-alike, named the same
        return ll.mse(logits, target)

    model = ll.SequenceModel(ll.RNN(2, 3, seed=0), 1, seed=0)
    with pytest.raises(ValueError, match="loss: expected one of"):
        ll.fit(model, tasks.adding(8, 5), softmax_cross_entropy, steps=1, progress=False, seed=0)


def test_accuracy_of_a_model_with_several_classes_takes_the_largest_logit():
    data = tasks.SequenceBatch(xs=np.zeros((3, 4, 2)), y=np.array([[0.0], [2.0], [1.0], [2.0]]),
                               at=np.full(4, 2))
    model = ll.SequenceModel(ll.RNN(2, 3, seed=0), 3, seed=0)
    model.head.params["W"][:] = 0
    model.head.params["b"][:] = [0.1, -1.0, 0.5]        # always class 2
    assert ll.correct(model, data)[:, 0].tolist() == [False, True, False, True]
    assert ll.accuracy(model, data) == 0.5
    several = tasks.SequenceBatch(xs=data.xs, y=np.zeros((4, 3)), at=data.at)
    with pytest.raises(ValueError, match="scored against class indices"):
        ll.accuracy(model, several)


def test_a_float32_model_trains_on_the_tasks_float64_data():
    data = tasks.parity(32, 6, seed=0)
    model = ll.SequenceModel(ll.LSTM(1, 4, seed=0, dtype=np.float32), 1, seed=0)
    history = ll.fit(model, data, ll.sigmoid_cross_entropy, steps=5, progress=False, seed=0)
    assert np.all(np.isfinite(history["loss"]))
    assert model.cell.params["W"].dtype == np.float32
    assert 0 <= ll.accuracy(model, data) <= 1
    assert np.isfinite(ll.evaluate(model, data, ll.sigmoid_cross_entropy))
