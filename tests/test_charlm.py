"""Notebook 08's library: the standard-library corpus, the character LSTM, truncated
BPTT with carried state, evaluation, sampling, the n-gram baseline, unit and gate
statistics; and the shipped model in data/ against the script that trains it.

Independent truth: windowed runs against one-shot runs, tokenize-free hand labels, a
dictionary-based Kneser–Ney, numerical gradients, np.corrcoef.
"""

import hashlib
import importlib.util
import math
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import charlm, corpus

DATA = Path(__file__).resolve().parents[1] / "data"
V = len(corpus.VOCAB)


@pytest.fixture(scope="module")
def text():
    return corpus.load()


# --- the corpus ---------------------------------------------------------------------------

def test_corpus_is_the_text_the_course_measured(text):
    assert text.matches, (
        f"the course's copy of the corpus (data/stdlib_corpus/) gives sha256 {text.sha256}, "
        f"not the text measured on CPython {corpus.MEASURED_ON} ({corpus.SHA256}): notebook "
        "08's numbers and data/char_lstm*.npz were measured on that text")
    assert len(text.files) == 22 and 500_000 < len(text.train) + len(text.val) < 1_000_000


def test_the_copy_keeps_pythons_licence_and_optparses_notice():
    licence = corpus.read("LICENSE.txt")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in licence
    assert "Redistribution and use in source and binary forms" in corpus.read("optparse.py")[:3000]


# The features come from tokenize, which Python 3.12 changed (f-strings arrive in pieces);
# this hash was measured on CPython 3.11.7, and ./course test checks it on 3.13 as well.
FEATURES_SHA256 = "0b0ffc44a7f1f77387b51736917cca2e6ea31b4fc9a1cc607c79c5eb950bc17e"


def test_syntax_features_are_the_same_on_every_python(text):
    features = np.concatenate([text.train_features, text.val_features])
    assert hashlib.sha256(features.tobytes()).hexdigest() == FEATURES_SHA256


def test_an_f_string_is_one_literal_and_its_brackets_are_its_own():
    source = 'x = f"a{b[0]}"  # note\ny = (1)\n'
    features = corpus.syntax_features(source)
    string, comment, depth = features[:, 0], features[:, 1], features[:, 2]
    literal = source.index('f"'), source.index('"  #')
    assert string[literal[0]:literal[1]].all() and not string[literal[1]:].any()
    assert depth[:source.index("(")].max() == 0          # b[0] inside the f-string: no depth
    assert depth[source.index("(")] == 1 and comment[source.index("#")] == 1


OTHER_311 = Path("/usr/lib/python3.11")          # Debian's CPython 3.11.2, where present


@pytest.mark.skipif(not (OTHER_311 / "difflib.py").exists(),
                    reason="no second Python 3.11 standard library on this machine")
def test_another_python_3_11_gives_the_same_text():
    # The corpus's modules were chosen among those unchanged from 3.11.2 to 3.11.7.
    assert corpus.load(root=OTHER_311).sha256 == corpus.SHA256
    assert corpus.load(root=OTHER_311, files=corpus.UNSEEN).sha256 == corpus.UNSEEN_SHA256


def test_copy_from_stdlib_rebuilds_the_folder_or_refuses_another_text(tmp_path):
    made = corpus.copy_from_stdlib(tmp_path / "made", root=corpus.DATA_DIR)
    assert corpus.load(root=made).sha256 == corpus.SHA256
    other = tmp_path / "other"
    corpus.copy_from_stdlib(other, root=corpus.DATA_DIR)
    (other / "csv.py").write_text(corpus.read("csv.py") + "# changed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not the text the course measured"):
        corpus.copy_from_stdlib(tmp_path / "again", root=other)


def test_unseen_modules_are_whole_and_apart():
    unseen = corpus.load(files=corpus.UNSEEN, held_out=1)
    assert unseen.matches, (
        "the course's copy of the UNSEEN modules differs from those measured on "
        f"CPython {corpus.MEASURED_ON}: notebook 08's test on new files was measured there")
    assert not set(corpus.UNSEEN) & set(corpus.FILES) and len(unseen.train) == 0
    whole = "".join(corpus.read(name) for name in corpus.UNSEEN)
    assert unseen.val_text == whole and unseen.val_features.shape == (len(whole), 5)
    assert corpus.split_point("a\nb\n", held_out=1) == 0


def test_every_file_splits_into_its_head_and_its_tail(text):
    pieces_train, pieces_val = [], []
    for name in corpus.FILES:
        source = corpus.read(name)
        cut = corpus.split_point(source)
        assert source[cut - 1] == "\n" and cut >= int(0.9 * len(source))
        assert "\n" not in source[int(0.9 * len(source)): cut - 1]     # the first line start
        pieces_train.append(source[:cut])
        pieces_val.append(source[cut:])
    assert text.train_text == "".join(pieces_train) and text.val_text == "".join(pieces_val)
    assert 0.09 < len(text.val) / (len(text.train) + len(text.val)) < 0.11
    assert text.train_features.shape == (len(text.train), 5)
    assert text.val_features.shape == (len(text.val), 5)


def test_encode_and_decode():
    assert corpus.VOCAB[0] == corpus.UNK and corpus.VOCAB[1] == "\n" and V == 97
    assert len(set(corpus.VOCAB)) == V
    ids = corpus.encode("def f(x):\n    return 'é'")
    assert ids.dtype == np.int64 and ids[-2] == 0                   # é is unknown
    assert corpus.decode(ids) == "def f(x):\n    return '" + corpus.UNK + "'"
    assert corpus.decode(corpus.encode(corpus.VOCAB)) == corpus.VOCAB


def test_syntax_features_by_hand():
    source = 'x = f(a, "b(")\nif x:\n    y = [1,\n         2]  # c\n'
    features = corpus.syntax_features(source)
    string, comment, depth, indent, column = features.T
    quote = source.index('"')
    assert string[quote] == 1 and string[quote + 2] == 1 and string[quote + 3] == 0
    assert string.sum() == 3                                         # '"', 'b', '('
    assert depth[source.index("f(") + 1] == 1 and depth[source.index('")') + 1] == 0
    assert depth[quote + 2] == 1                                     # "(" in a string: no
    bracket = source.index("[")
    assert depth[bracket] == 1 and depth[source.index("2")] == 1
    assert depth[source.index("]")] == 0
    y = source.index("y")
    assert list(indent[y - 4: y + 2]) == [1, 2, 3, 4, 4, 4]
    assert indent[source.index("2")] == 9 and indent[0] == 0
    assert comment[source.index("#")] == 1 and comment[source.index("c\n")] == 1
    assert comment.sum() == 3 and comment[source.index("#") - 1] == 0
    assert column[0] == 1 and column[source.index("\n")] == 0
    assert column[source.index("if")] == 1 and column[y] == 5


def test_string_spans_find_each_literal_and_its_quotes():
    source = "a = \"x\" + rb\"\"\"doc\n\"\"\"\n# c\nb = f'''q''' + ''\n"
    string = corpus.syntax_features(source)[:, 0]
    starts, ends, triple = corpus.string_spans(source, string)
    literals = [source[a:b] for a, b in zip(starts, ends, strict=True)]
    # each literal up to, not including, its last quote; the empty '' is one quote long
    assert literals == ['"x', 'rb"""doc\n""', "f'''q''", "'"]
    assert triple.tolist() == [False, True, True, False]


# --- the model ----------------------------------------------------------------------------

def test_forward_is_the_lstm_on_one_hot_characters_then_the_head(rng):
    model = charlm.CharLM(6, vocab_size=9, seed=1, dtype=np.float64)
    ids = rng.integers(0, 9, size=(5, 3))
    logits, (h, c) = model.forward(ids)
    assert logits.shape == (5, 3, 9)
    state_h, state_c = np.zeros((3, 6)), np.zeros((3, 6))
    for t in range(5):
        step = model.cell.step(np.eye(9)[ids[t]], state_h, state_c)
        state_h, state_c = step.h, step.c
        W_y, b_y = model.head.params["W"], model.head.params["b"]
        assert np.allclose(logits[t], state_h @ W_y.T + b_y, atol=1e-12)
    assert np.allclose(h, state_h) and np.allclose(c, state_c)


def test_backward_matches_numerical_gradients(rng):
    model = charlm.CharLM(4, vocab_size=7, seed=2, dtype=np.float64)
    ids = rng.integers(0, 7, size=(6, 2))
    state = (rng.normal(size=(2, 4)), rng.normal(size=(2, 4)))

    def loss():
        logits, _ = model.forward(ids[:-1], state)
        return ll.softmax_cross_entropy(logits, ids[1:])[0]

    logits, _ = model.forward(ids[:-1], state)
    model.backward(ll.softmax_cross_entropy(logits, ids[1:])[1])
    for layer in model.layers:
        for name, p in layer.params.items():
            analytic = layer.grads[name].copy()
            assert ll.relative_error(analytic, ll.numerical_gradient(loss, p)) < 1e-6


def test_trainer_reads_contiguous_windows_and_carries_the_state():
    ids = np.arange(2 * 40) % V
    model = charlm.CharLM(3, seed=0)
    trainer = charlm.Trainer(model, ids, batch_size=2, seq_len=8, lr=1e-3, seed=5)
    assert np.array_equal(trainer.streams, ids.reshape(2, 40))
    windows = [trainer._window() for _ in range(5)]
    first = windows[0]
    assert first.shape == (9, 2)
    for a, b in zip(windows, windows[1:], strict=False):
        if b[0, 0] == a[-1, 0]:                                      # same epoch
            assert np.array_equal(a[-1], b[0])                       # one character overlap
    assert trainer.epochs >= 1                                       # 40 chars: epochs turn


def test_windowed_training_state_equals_one_long_forward():
    # With lr tiny, two windows from the carried state read exactly what one forward over
    # both would: the state handed across is the real one.
    ids = np.random.default_rng(0).integers(0, V, size=4 * 50)
    model = charlm.CharLM(5, seed=3, dtype=np.float64)
    trainer = charlm.Trainer(model, ids, batch_size=4, seq_len=10, lr=1e-12, seed=0)
    trainer.step()
    start = trainer.position - 10
    trainer.step()
    carried = trainer.state
    long = trainer.streams[:, start: trainer.position].T
    _, (h, c) = model.forward(long)
    assert np.allclose(carried[0], h, atol=1e-8) and np.allclose(carried[1], c, atol=1e-8)


def test_training_lowers_the_loss():
    ids = corpus.encode("def add(a, b):\n    return a + b\n\n" * 40)
    model = charlm.CharLM(16, seed=0)
    history = charlm.Trainer(model, ids, batch_size=4, seq_len=16, lr=0.01,
                             seed=0).run(150, progress=False)
    assert history["loss"][0] > 6 and np.mean(history["loss"][-10:]) < 2.0
    assert np.all(np.isfinite(history["grad_norm"]))


@pytest.fixture(scope="module")
def small():
    ids = corpus.encode(corpus.load().val_text[:3000])
    model = charlm.CharLM(8, seed=4, dtype=np.float64)
    return model, ids


def test_windowed_evaluation_equals_one_pass(small):
    model, ids = small
    logp = charlm.log2_probs(model, ids, streams=3, seq_len=7)
    L = len(ids) // 3
    assert np.isnan(logp[::L][:3]).all() and np.isnan(logp[3 * L:]).all()
    for b in range(3):
        stream = ids[b * L: (b + 1) * L]
        logits, _ = model.forward(stream[:, None])
        direct = ll.log_softmax(logits[:-1, 0])[np.arange(L - 1), stream[1:]] / math.log(2)
        assert np.allclose(logp[b * L + 1: (b + 1) * L], direct, atol=1e-10)
    assert charlm.bits_per_char(model, ids, streams=3, seq_len=7) == pytest.approx(
        -np.nanmean(logp))
    assert model.cell.trace is None                     # evaluation leaves no trace behind


def test_read_states_in_text_order_and_saturation(small):
    model, ids = small
    states = ll.interpret.read_states(model, ids, streams=2, seq_len=11)
    L = len(ids) // 2
    assert states.h.shape == states.c.shape == (2 * L, 8)
    gates = []
    for b in range(2):
        model.forward(ids[b * L: (b + 1) * L, None])
        trace = model.cell.trace
        assert np.allclose(states.h[b * L: (b + 1) * L], trace.h[:, 0], atol=1e-10)
        assert np.allclose(states.c[b * L: (b + 1) * L], trace.c[:, 0], atol=1e-10)
        gates.append({g: getattr(trace, g)[:, 0] for g in ll.interpret.GATES})
    for g in ll.interpret.GATES:
        values = np.concatenate([run[g] for run in gates])
        left, right = states.saturation[g]
        assert np.allclose(left, (values < 0.1).mean(axis=0))
        assert np.allclose(right, (values > 0.9).mean(axis=0))


def test_unit_correlations_are_pearson(rng):
    a = rng.normal(size=(200, 5))
    x = np.column_stack([a[:, 2] * 3 + rng.normal(size=200), rng.normal(size=200),
                         np.ones(200)])
    corr = ll.interpret.unit_correlations(a, x)
    assert corr.shape == (3, 5)
    for f in range(2):
        for u in range(5):
            assert corr[f, u] == pytest.approx(np.corrcoef(x[:, f], a[:, u])[0, 1])
    assert np.all(corr[2] == 0)                                      # a constant feature
    assert np.allclose(ll.interpret.unit_correlations(a, x, chunk=7), corr, atol=1e-12)


def test_sampling_is_seeded_and_cold_sampling_is_greedy(small):
    model, _ = small
    a = charlm.sample(model, "def ", 40, temperature=1.0, seed=3)
    assert a == charlm.sample(model, "def ", 40, temperature=1.0, seed=3)
    assert a != charlm.sample(model, "def ", 40, temperature=1.0, seed=4)
    assert len(a) == 40 and set(a) <= set(corpus.VOCAB)
    cold = charlm.sample(model, "def ", 25, temperature=1e-4, seed=0)
    text = "def "
    for _ in range(25):                                              # greedy, recomputed
        logits, _ = model.forward(corpus.encode(text)[:, None])
        text += corpus.VOCAB[int(np.argmax(logits[-1, 0]))]
    assert cold == text[4:]


def test_temperature_sharpens_and_flattens(small):
    model, _ = small
    p = {t: charlm.next_char_probs(model, "for i in ", temperature=t) for t in (0.1, 1, 1e3)}
    assert all(q.shape == (V,) and q.sum() == pytest.approx(1) for q in p.values())
    assert p[0.1].max() > p[1].max() > p[1e3].max()
    assert np.argmax(p[0.1]) == np.argmax(p[1])
    assert np.allclose(p[1e3], 1 / V, atol=1e-3)
    with pytest.raises(ValueError, match="temperature"):
        charlm.sample(model, "x", 3, temperature=0.0)


def test_block_openings_by_hand():
    text = ("rest of a prompt:\nif x:\n    y = 1\n\n    z = (1,\n         2)\nelse:\n"
            "w = 3\n        cut")
    # pairs: (if x:, y) opens and goes deeper: kept; (z = (1,, 2)) deeper without ':';
    # (else:, w) ':' without going deeper; the first line and the cut last are left out
    assert charlm.block_openings(text) == (1, 3)
    assert charlm.block_openings("a:\nb\n") == (0, 0)
    good = "x\nclass A:\n    def f(self):\n        pass\n    y = 2\nz = 3\nend"
    assert charlm.block_openings(good) == (2, 2)


def test_shuffle_lines_keeps_the_lines_and_the_ends():
    text = "\n".join(f"line {k}" for k in range(30))
    shuffled = charlm.shuffle_lines(text, seed=1)
    lines, moved = text.split("\n"), shuffled.split("\n")
    assert moved[0] == lines[0] and moved[-1] == lines[-1]
    assert sorted(moved) == sorted(lines) and moved != lines
    assert shuffled == charlm.shuffle_lines(text, seed=1) != charlm.shuffle_lines(text, seed=2)
    assert charlm.shuffle_lines("a\nb", seed=0) == "a\nb"


def test_units_on_halves_choose_on_one_half_and_measure_on_the_other(rng):
    M, H = 400, 3
    h, c = rng.uniform(-0.9, 0.9, (M, H)), rng.normal(size=(M, H))
    feature = rng.normal(size=M)
    h[: M // 2, 1] = np.tanh(feature[: M // 2])          # h of unit 1 follows it, first half
    c[M // 2:, 2] = feature[M // 2:]                     # tanh(c) of unit 2, second half
    states = ll.interpret.States(h=h, c=c, saturation={})
    noise = rng.normal(size=M)
    found = ll.interpret.units_on_halves(states, np.column_stack([feature, noise]))
    assert found["unit"][0] == 1
    first, second = slice(None, M // 2), slice(M // 2, None)
    assert found["chosen"][0] == pytest.approx(np.corrcoef(h[first, 1], feature[first])[0, 1])
    assert found["confirmed"][0] == pytest.approx(
        np.corrcoef(h[second, 1], feature[second])[0, 1])
    assert found["chosen"][0] > 0.9 > 0.3 > abs(found["confirmed"][0])
    other = np.column_stack([feature, noise])[:, 1]
    candidates = np.column_stack([h, np.tanh(c)])
    brute = [abs(np.corrcoef(candidates[first, u], other[first])[0, 1]) for u in range(2 * H)]
    assert found["unit"][1] == int(np.argmax(brute))
    assert found["confirmed"][1] == pytest.approx(
        np.corrcoef(candidates[second, found["unit"][1]], other[second])[0, 1])


# --- the n-gram baseline ------------------------------------------------------------------

def kneser_ney_by_dicts(train, order, V):
    """Interpolated Kneser–Ney written with dictionaries over tuples: p(w | context)."""
    grams = [Counter() for _ in range(order)]
    top = order - 1
    for t in range(top, len(train)):
        grams[top][tuple(train[t - top: t + 1])] += 1
    for k in reversed(range(top)):                                   # continuation counts
        for g in grams[k + 1]:
            grams[k][g[1:]] += 1
    totals, followers = [defaultdict(int) for _ in range(order)], \
        [defaultdict(int) for _ in range(order)]
    discounts = []
    for k in range(order):
        for g, n in grams[k].items():
            totals[k][g[:-1]] += n
            followers[k][g[:-1]] += 1
        n1 = sum(n == 1 for n in grams[k].values())
        n2 = sum(n == 2 for n in grams[k].values())
        discounts.append(max(n1 / (n1 + 2 * n2), 0.1) if n1 + n2 else 0.5)

    def p(w, context):
        prob = 1 / V
        for k in range(min(order, len(context) + 1)):
            u = tuple(context[len(context) - k:]) if k else ()
            if totals[k][u] > 0:
                D = discounts[k]
                prob = (max(grams[k][(*u, w)] - D, 0) + D * followers[k][u] * prob) / totals[k][u]
        return prob

    return p


def test_ngram_matches_a_dictionary_kneser_ney():
    train = list(corpus.encode("the cat sat on the mat; the hat sat on the cat. " * 3))
    test = corpus.encode("the rat sat on a hat.")
    model = ll.ngram.NGram(train, order=3)
    p = kneser_ney_by_dicts(train, 3, V)
    expected = [math.log2(p(int(w), list(test[max(0, t - 2): t]))) for t, w in enumerate(test)]
    assert np.allclose(model.log2_probs(test), expected, atol=1e-12)
    context = corpus.encode("the ")
    assert np.allclose(model.probs(context), [p(w, list(context[-2:])) for w in range(V)])
    distinct = {tuple(train[t - k: t + 1]) for k in range(3) for t in range(k, len(train))}
    assert model.size == len(distinct)             # 1-, 2- and 3-grams, each counted once


def test_ngram_probabilities_sum_to_one_and_never_vanish():
    train = corpus.encode(corpus.load().train_text[:20000])
    model = ll.ngram.NGram(train, order=5)
    for context in ("import ", "    def", "zzqx", ""):
        ids = corpus.encode(context)
        every = np.stack([np.concatenate([ids, [w]]) for w in range(V)])
        p = np.array([2.0 ** model.log2_probs(row)[-1] for row in every])
        assert p.sum() == pytest.approx(1.0) and p.min() > 0
    sample = model.sample("def ", 50, seed=1)
    assert sample == model.sample("def ", 50, seed=1) and len(sample) == 50
    with pytest.raises(ValueError, match="order"):
        ll.ngram.NGram(train, order=10)


# --- saving, and the shipped model --------------------------------------------------------

def test_save_and_load_round_trip(tmp_path):
    model = charlm.CharLM(5, seed=7)
    charlm.save(tmp_path / "m.npz", model, steps=12, note=np.array("hello"))
    loaded, info = charlm.load(tmp_path / "m.npz")
    for a, b in zip(model.layers, loaded.layers, strict=True):
        assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    wide, _ = charlm.load(tmp_path / "m.npz", dtype=np.float64)
    assert wide.dtype == np.float64
    for a, b in zip(model.layers, wide.layers, strict=True):
        assert all(np.array_equal(a.params[k].astype(np.float64), b.params[k]) for k in a.params)
    assert loaded.dtype == np.float32 and int(info["steps"]) == 12
    assert str(info["note"]) == "hello"


def _script():
    spec = importlib.util.spec_from_file_location("train_char_lstm", DATA / "train_char_lstm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", list(charlm.SHIPPED_RUNS))
def test_shipped_runs_are_small_and_their_validation_bpc_recomputes(text, seed):
    script = _script()
    path = charlm.SHIPPED_RUNS[seed]
    assert path.stat().st_size < 3 * 2**20 and charlm.SHIPPED_RUNS[script.SEED] == script.OUT
    model, info = charlm.load(path)
    assert str(info["corpus_sha256"]) == corpus.SHA256
    assert model.hidden_size == script.HIDDEN
    recipe = {"hidden_size": script.HIDDEN, "batch_size": script.BATCH, "seq_len": script.SEQ_LEN,
              "lr": script.LR, "decay_at": script.DECAY_AT, "decay": script.DECAY,
              "clip": script.CLIP, "seed": seed, "steps": script.STEPS}
    assert {key: info[key].item() for key in recipe} == recipe
    bpc = charlm.bits_per_char(model, text.val)
    assert bpc == pytest.approx(float(info["val_bpc"]), abs=1e-4)


@pytest.mark.parametrize("seed", list(charlm.SHIPPED_RUNS))
def test_the_script_reproduces_the_shipped_runs(text, seed):
    # A full run takes minutes; its first CHECK_STEPS steps are rerun here and must
    # give the training losses and the validation bpc the full run recorded after them.
    script = _script()
    _, info = charlm.load(charlm.SHIPPED_RUNS[seed])
    model, history, _, _ = script.train(text, steps=script.CHECK_STEPS, seed=seed)
    bpc = charlm.bits_per_char(model, text.val)
    recorded = info["train_loss"][: script.CHECK_STEPS]
    assert np.allclose(history["loss"], recorded, atol=script.TOLERANCE)
    assert bpc == pytest.approx(float(info["check_val_bpc"]), abs=script.TOLERANCE)
