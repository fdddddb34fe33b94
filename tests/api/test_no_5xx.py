"""The 500s of issue 11 (D6), each now an answer: a 4xx naming the node or field and the
problem, or the right result where the request was valid all along."""

import numpy as np
import pytest

from api_helpers import API, error_locs, error_text, make_client

client = make_client()


def _graph(*nodes):
    return {"kind": "graph", "nodes": list(nodes)}


# The repro: f = Σ w / x, a param divided by an input.
DIV = {"network": _graph({"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": [0.5, 1.0]},
                         {"id": "h", "op": "div", "inputs": ["w", "x"]},
                         {"id": "loss", "op": "sum", "inputs": ["h"]}),
       "inputs": {"x": [1.0, 2.0]}}


def test_hvp_of_a_param_divided_by_an_input_is_zero():
    """f is linear in w, so H = 0 and Hv = 0 exactly (no rounding: every product is by 0)."""
    r = client.post(f"{API}/hvp", json=DIV)
    assert r.status_code == 200, r.text
    assert r.json()["hvp"] == {"w": [0.0, 0.0]}
    assert r.json()["param_grads"] == {"w": [1.0, 0.5]}  # ∂f/∂w = 1/x, exact in binary


@pytest.mark.parametrize("path, extra", [("hessian", {}), ("eigen", {"iters": 3}),
                                         ("newton", {"damping": 1.0}),
                                         ("nudge", {"param": "w", "delta": [0.1, 0.1]})])
def test_the_other_second_order_endpoints_answer_the_div_graph(path, extra):
    r = client.post(f"{API}/{path}", json={**DIV, **extra})
    assert r.status_code == 200, r.text
    if path == "hessian":
        assert r.json()["hessian"] == [[0.0, 0.0], [0.0, 0.0]]


SCALAR = {"network": _graph({"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": 0.5},
                            {"id": "h", "op": "mul", "inputs": ["w", "x"]},
                            {"id": "loss", "op": "square", "inputs": ["h"]}),
          "inputs": {"x": 2.0}}


def _session(body):
    r = client.post(f"{API}/sessions", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_train_on_a_graph_whose_input_is_a_scalar():
    """f = (w x)², ∂f/∂w = 2 w x² = 4 at w = 0.5: one step of 0.1 gives w = 0.1."""
    sid = _session(SCALAR)
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 1, "lr": 0.1})
    assert r.status_code == 200, r.text
    assert r.json()["params"]["w"] == pytest.approx(0.1, abs=1e-15)  # 0.5 − 0.1·4, rounded once


def test_train_with_batch_size_on_a_scalar_input_names_batch_size():
    sid = _session(SCALAR)
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 2, "lr": 0.1, "batch_size": 1})
    assert r.status_code == 422, r.text
    assert error_locs(r) == [("body", "batch_size")]
    assert "'x'" in error_text(r) and "batch" in error_text(r)


def test_train_with_batch_size_that_a_conv1d_cannot_take_names_batch_size():
    """x (3,) is not batch first: a minibatch of 2 would be a signal shorter than the kernel."""
    conv = {"network": _graph({"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": [0.5, 1.0, 2.0]},
                              {"id": "h", "op": "conv1d", "inputs": ["x", "w"]},
                              {"id": "loss", "op": "sum", "inputs": ["h"]}),
            "inputs": {"x": [1.0, 2.0, 3.0]}}
    sid = _session(conv)
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 2, "lr": 0.1, "batch_size": 2})
    assert r.status_code == 422, r.text
    assert error_locs(r) == [("body", "batch_size")]
    assert "conv1d" in error_text(r) and "k ≤ L" in error_text(r)
    assert client.get(f"{API}/sessions/{sid}").json()["step"] == 0


@pytest.mark.parametrize("op", ["mse_all", "lstm_c", "lstm_h", "rnn_pre", "lstm_gates"])
def test_the_rnns_internal_ops_are_not_graph_ops(op):
    body = {"network": _graph({"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": [0.5, 1.0]},
                              {"id": "loss", "op": op, "inputs": ["x", "w"]}),
            "inputs": {"x": [1.0, 2.0]}}
    r = client.post(f"{API}/backprop", json=body)
    assert r.status_code == 422, r.text
    assert error_locs(r) == [("body", "network", "nodes", 2, "op")]
    text = error_text(r)
    assert f"'{op}' is not a graph op" in text and "matmul" in text and "conv1d" in text


def test_the_op_catalog_leaves_the_internal_ops_out():
    from server.engine.kinds.graph import op_catalog
    names = {entry["name"] for entry in op_catalog()}
    assert {"matmul", "conv1d", "tanh", "mse"} <= names
    assert not names & {"mse_all", "lstm_c", "lstm_h", "rnn_pre", "lstm_gates"}


EMPTY = {"network": _graph({"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": []},
                           {"id": "s", "op": "sum", "inputs": ["w"]},
                           {"id": "loss", "op": "mul", "inputs": ["x", "s"]}),
         "inputs": {"x": 1.0}}


@pytest.mark.parametrize("path", ["backprop", "gradcheck", "hvp", "hessian", "eigen", "newton", "cost"])
def test_an_empty_param_is_refused_naming_it(path):
    r = client.post(f"{API}/{path}", json=EMPTY)
    assert r.status_code == 422, r.text
    assert error_locs(r) == [("body", "network", "nodes", 1, "value")]
    assert "'w' is empty" in error_text(r)


NO_PARAMS = {"network": _graph({"id": "x", "op": "input"}, {"id": "loss", "op": "sum", "inputs": ["x"]}),
             "inputs": {"x": [1.0, 2.0]}}


def test_cost_of_a_network_without_params_is_refused():
    r = client.post(f"{API}/cost", json=NO_PARAMS)
    assert r.status_code == 422, r.text
    assert "no parameters" in error_text(r)


def test_a_diverging_run_without_params_is_diagnosed():
    log = {"network": _graph({"id": "x", "op": "input"}, {"id": "loss", "op": "log", "inputs": ["x"]}),
           "inputs": {"x": -1.0}}
    sid = _session(log)
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 2, "lr": 0.1})
    assert r.status_code == 200, r.text
    divergence = r.json()["divergence"]
    assert divergence["step"] == 0 and "no parameters" in divergence["message"]


def test_shapes_are_checked_by_inference_naming_the_node():
    bad = {"network": _graph({"id": "a", "op": "input"}, {"id": "b", "op": "input"},
                             {"id": "p", "op": "matmul", "inputs": ["a", "b"]},
                             {"id": "loss", "op": "sum", "inputs": ["p"]}),
           "inputs": {"a": np.zeros((2, 3)).tolist(), "b": np.zeros((4, 5)).tolist()}}
    r = client.post(f"{API}/backprop", json=bad)
    assert r.status_code == 422, r.text
    assert error_locs(r) == [("body", "network", "nodes", 2, "inputs")]
    assert "node 'p' (op 'matmul')" in error_text(r) and "a (2, 3), b (4, 5)" in error_text(r)
