"""detail="gradients": the compact answer for scripts (an RNN with T = 1000 in ~150 kB
instead of ~4 MB) holds the gradients of the full answer (to float64 rounding), and nothing
per node."""

import math

import numpy as np

from api_helpers import API

# The compact answer comes from the parameter-only sweep, the full one from the recorded
# sweep: the same products, but nothing promises their last bit on every BLAS kernel.
REL = 1e-12


def assert_same(a, b, path="answer"):
    """Equal structure and strings; numbers equal to REL (non-finite ones as strings)."""
    if isinstance(b, dict):
        assert isinstance(a, dict) and a.keys() == b.keys(), path
        for k in b:
            assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(b, float) and not isinstance(a, (bool, str)):
        assert math.isclose(a, b, rel_tol=REL, abs_tol=1e-300), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def rnn_body(T=200, **extra):
    x = np.round(np.random.default_rng(0).normal(size=(2, T, 1)), 6).tolist()
    return {"network": {"kind": "rnn", "cell": "rnn", "input_size": 1, "hidden_size": 8,
                        "output_size": 1, "steps": T, "activation": "tanh", "loss": "mse_last",
                        "recurrent_spectral_norm": 1.2, "seed": 3},
            "x": x, "y": [[0.5], [-0.5]], **extra}


def test_gradients_detail_is_the_full_answer_without_per_node_fields(client):
    full = client.post(f"{API}/backprop", json=rnn_body()).json()
    lean = client.post(f"{API}/backprop", json=rnn_body(detail="gradients")).json()
    assert lean["detail"] == "gradients"
    for field in ("values", "grads", "graph", "forward_order", "backward_order",
                  "local_derivatives", "contributions"):
        assert field not in lean
    for field in ("loss", "param_grads", "params", "grad_norms_h", "bound_h",
                  "contribution_norms", "sigma_max", "nonfinite"):
        assert_same(lean[field], full[field], field)


def test_gradients_detail_keeps_clipping_and_nonfinite(client):
    body = rnn_body(T=1500, detail="gradients", clip={"mode": "norm", "max_norm": 1.0})
    body["network"].update(activation="identity", recurrent_spectral_norm=3.0)
    answer = client.post(f"{API}/backprop", json=body).json()
    assert answer["nonfinite"] is True and "clipping" in answer
    assert answer["grad_norms_h"][0] in ("NaN", "Infinity")


def test_gradients_detail_for_an_mlp(client):
    body = {"network": {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse",
                        "seed": 0}, "x": [[1, 2], [0.5, -1]], "y": [[1], [0]]}
    full = client.post(f"{API}/backprop", json=body).json()
    lean = client.post(f"{API}/backprop", json={**body, "detail": "gradients"}).json()
    assert_same(lean["param_grads"], full["param_grads"])
    assert_same(lean["loss"], full["loss"])
