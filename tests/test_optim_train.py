"""Optimizers, clipping and the training loop."""

import numpy as np
import pytest

import lstm_lib as ll


def quadratic_layer():
    layer = ll.Linear(2, 1, seed=0)
    layer.params["W"][:] = [[3.0, -2.0]]
    layer.params["b"][:] = [1.0]
    return layer


def grad_of_half_square(layer):
    for k, p in layer.params.items():      # L = ½‖θ‖², ∇L = θ
        layer.grads[k][:] = p


@pytest.mark.parametrize("make", [lambda l: ll.SGD(l, lr=0.1),
                                  lambda l: ll.SGD(l, lr=0.05, momentum=0.9),
                                  lambda l: ll.Adam(l, lr=0.1)])
def test_optimizers_descend(make):
    layer = quadratic_layer()
    opt = make(layer)
    for _ in range(300):
        grad_of_half_square(layer)
        opt.step()
    assert np.abs(layer.params["W"]).max() < 1e-2 and abs(layer.params["b"][0]) < 1e-2


def test_sgd_step_is_exact():
    layer = quadratic_layer()
    grad_of_half_square(layer)
    ll.SGD(layer, lr=0.5).step()
    assert layer.params["W"].tolist() == [[1.5, -1.0]] and layer.params["b"].tolist() == [0.5]


def test_clipping_keeps_direction_and_reports_the_norm():
    layer = quadratic_layer()
    layer.grads["W"][:] = [[3.0, 0.0]]
    layer.grads["b"][:] = [4.0]
    assert ll.clip_global_norm(layer, 1.0) == 5.0
    assert np.allclose(layer.grads["W"], [[0.6, 0.0]]) and np.allclose(layer.grads["b"], [0.8])
    assert ll.clip_global_norm(layer, 10.0) == pytest.approx(1.0)   # below the cap: untouched
    assert np.allclose(layer.grads["b"], [0.8])


def test_train_records_every_step():
    history = ll.train(lambda k: {"loss": 1.0 / (k + 1), "acc": k / 10}, 10, progress=False)
    assert history["step"].tolist() == list(range(10))
    assert history["loss"][3] == 0.25 and history["acc"][9] == 0.9
    assert history.diverged_at is None


def test_train_stops_at_divergence():
    history = ll.train(lambda k: np.inf if k == 4 else 1.0, 10, progress=False)
    assert history.diverged_at == 4 and len(history["loss"]) == 5
    assert "diverged at step 4" in repr(history)
