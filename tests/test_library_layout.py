"""Each idea lives once, in the library module named for it (issue 18)."""

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import widgets

LIB = Path(ll.__file__).parent


def _imports(path):
    tree = ast.parse(path.read_text())
    return {(node.module or "") + ":" + alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) for alias in node.names}


@pytest.mark.parametrize("path", sorted((LIB / "widgets").glob("*.py")), ids=lambda p: p.name)
def test_widgets_train_nothing(path):
    # Before: fit_mlp, fit_together, fit_lstm, climb_ladder ... trained models inside widgets.
    imports = _imports(path)
    training = {"optim:Adam", "optim:SGD", "train:train", "sequence_model:fit",
                "readout:fit", "sklearn", "layers:MLP"}
    assert not {i.lstrip(".") for i in imports} & training
    assert "sklearn" not in path.read_text()


def test_widgets_export_what_notebooks_use():
    used = set()
    for notebook in (LIB.parent / "notebooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] == "code":
                used |= set(re.findall(r"\bwidgets\.(\w+)", "".join(cell["source"])))
    submodules = {p.stem for p in (LIB / "widgets").glob("*.py")}
    assert used - submodules <= set(widgets.__all__)
    assert set(widgets.__all__) <= used | submodules


def test_one_one_hot_and_one_unknown_symbol_convention():
    # Before: charlm.one_hot, widgets.one_hot and tasks.one_hot_words each built their own,
    # and "<unk>" and "¿" were two unrelated conventions.
    assert ll.corpus.VOCAB[ll.vocab.UNK_ID] == ll.corpus.UNK
    assert ll.vocab.TOY_VOCAB[ll.vocab.UNK_ID] == ll.vocab.UNK
    assert ll.corpus.encode("é")[0] == ll.vocab.UNK_ID
    assert np.array_equal(ll.vocab.one_hot_words(["zebra"])[0],
                          ll.vocab.one_hot([ll.vocab.UNK_ID], len(ll.vocab.TOY_VOCAB))[0])
    xs = ll.tasks.one_hot_words([["the", "dog"], ["the"]])
    assert xs.shape == (2, 2, len(ll.tasks.AGREEMENT_VOCAB)) and not xs[1, 1].any()
    with pytest.raises(ValueError, match="ids: expected integers in"):
        ll.vocab.one_hot([3], 3)
    for name in ("charlm", "tasks", "widgets/loop"):
        assert "np.eye(" not in (LIB / f"{name}.py").read_text()


def test_one_accuracy_rule_for_plane_nets_and_sequence_models():
    logits = np.array([[2.0], [-1.0], [0.5]])
    assert ll.metrics.correct(logits, np.array([1.0, 1.0, 0.0])).tolist() == [True, False, False]
    three = np.array([[[0.1, 2.0, 0.3]], [[5.0, 0.0, 0.0]]])        # (T=2, B=1, K=3)
    assert ll.metrics.correct(three, np.array([[[1.0]], [[2.0]]])).ravel().tolist() == \
        [True, False]
    with pytest.raises(ValueError, match="scored against class indices"):
        ll.metrics.correct(three, np.zeros((2, 1, 3)))


def test_number_units_is_unit_correlations_of_the_memory_with_the_subject():
    # Before: widgets.number_units wrote its own Pearson correlation beside
    # charlm.unit_correlations. Independent truth here: np.corrcoef, unit by unit.
    data = ll.tasks.agreement(40, seed=3)
    model = ll.SequenceModel(ll.LSTM(len(ll.tasks.AGREEMENT_VOCAB), 5, seed=1), 1, seed=1)
    corr = ll.interpret.number_units(model, data)
    c = model.cell.trace.c
    steps = np.arange(c.shape[0])[:, None]
    inside = (steps >= (data.at - data.distance)[None]) & (steps <= data.at[None])
    sign = np.broadcast_to(2 * data.y[:, 0] - 1, inside.shape)[inside]
    expected = [np.corrcoef(c[inside][:, j], sign)[0, 1] for j in range(5)]
    assert np.allclose(corr, expected, atol=1e-12)


def test_charlm_keeps_the_model_and_its_neighbours_their_ideas():
    # Before: charlm.py held the n-gram baseline and the interpretability tools too.
    assert not hasattr(ll.charlm, "NGram") and not hasattr(ll.charlm, "read_states")
    assert ll.ngram.NGram.__module__ == "lstm_lib.ngram"
    assert ll.interpret.units_on_halves.__module__ == "lstm_lib.interpret"
    assert not (LIB / "readout.py").exists() and ll.SequenceModel.__module__ == \
        "lstm_lib.sequence_model"
