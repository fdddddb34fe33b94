"""The other network kinds through the API: `kind: "graph"` (inputs by id, shared weights,
cycles) and `kind: "rnn"` (unrolled through time), with hand-computed numbers."""

import copy
import math

import numpy as np
import pytest

from api_helpers import API, error_locs, error_text, make_client, strict_loads

URL = f"{API}/backprop"

CONTRACT_GRAPH = {"kind": "graph", "output": "loss", "nodes": [
    {"id": "x", "op": "input", "shape": [1, 3]},
    {"id": "w", "op": "param", "value": [[0.1], [0.2], [-0.3]]},
    {"id": "h", "op": "matmul", "inputs": ["x", "w"]},
    {"id": "t", "op": "tanh", "inputs": ["h"]},
    {"id": "y", "op": "input", "shape": [1, 1]},
    {"id": "loss", "op": "mse", "inputs": ["t", "y"]}]}
CONTRACT_INPUTS = {"x": [[1.0, 2.0, 3.0]], "y": [[0.5]]}

# f = sum(x·w·w) with w used by two ops: ∂f/∂w = 2xw, one x·w from each use
SHARED = {"kind": "graph", "nodes": [
    {"id": "x", "op": "input"}, {"id": "w", "op": "param", "value": 3.0},
    {"id": "u", "op": "mul", "inputs": ["x", "w"]}, {"id": "v", "op": "mul", "inputs": ["u", "w"]},
    {"id": "loss", "op": "sum", "inputs": ["v"]}]}


def _graph(**changes):
    g = copy.deepcopy(CONTRACT_GRAPH)
    g.update(changes)
    return g


def test_contract_graph_example_matches_hand_computation(client):
    r = client.post(URL, json={"network": CONTRACT_GRAPH, "inputs": CONTRACT_INPUTS})
    assert r.status_code == 200, r.text
    out = strict_loads(r.text)
    h = 0.1 * 1 + 0.2 * 2 - 0.3 * 3  # −0.4
    t = math.tanh(h)
    assert out["values"]["h"] == [[pytest.approx(h, rel=1e-14)]]
    assert out["loss"] == pytest.approx((t - 0.5) ** 2, rel=1e-14)
    dh = 2 * (t - 0.5) * (1 - t * t)
    np.testing.assert_allclose(out["param_grads"]["w"], [[dh * 1], [dh * 2], [dh * 3]], rtol=1e-13)
    assert out["forward_order"] == ["x", "w", "h", "t", "y", "loss"]
    assert out["backward_order"][0] == "loss"
    roles = {n["id"]: n["role"] for n in out["graph"]["nodes"]}
    assert roles == {"x": "input", "w": "param", "h": "op", "t": "op", "y": "input",
                     "loss": "loss"}
    assert out["kind"] == "graph"


def test_shared_parameter_gradient_is_the_sum_of_its_uses(client):
    r = client.post(URL, json={"network": SHARED, "inputs": {"x": [2.0]}})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["loss"] == 18.0                      # 2 · 3 · 3
    assert out["param_grads"] == {"w": 12.0}        # 2xw
    uses = out["contributions"]["w"]
    assert [u["via"] for u in uses] == ["u", "v"]
    assert [u["grad"] for u in uses] == [6.0, 6.0]  # ∂f/∂u · x = w·x, and u
    assert sum(u["grad"] for u in uses) == out["param_grads"]["w"]


def test_graph_params_and_seed_are_accepted(client):
    g = {**copy.deepcopy(SHARED), "seed": 1, "params": {"w": 5.0}}
    out = client.post(URL, json={"network": g, "inputs": {"x": [2.0]}}).json()
    assert out["params"] == {"w": 5.0} and out["loss"] == 50.0


@pytest.mark.parametrize("network,inputs,loc,word", [
    ({"kind": "graph", "nodes": [{"id": "a", "op": "tanh", "inputs": ["b"]},
                                 {"id": "b", "op": "tanh", "inputs": ["a"]},
                                 {"id": "loss", "op": "sum", "inputs": ["a"]}]},
     {}, ("body", "network", "nodes"), "cycle"),
    (_graph(nodes=CONTRACT_GRAPH["nodes"][:2] + [{"id": "h", "op": "convolve",
                                                 "inputs": ["x", "w"]}]),
     CONTRACT_INPUTS, ("body", "network", "nodes", 2, "op"), "convolve"),
    (_graph(nodes=CONTRACT_GRAPH["nodes"][:2] + [{"id": "h", "op": "matmul",
                                                 "inputs": ["x", "nope"]}]),
     CONTRACT_INPUTS, ("body", "network", "nodes", 2, "inputs", 1), "nope"),
    (_graph(output="nowhere"), CONTRACT_INPUTS, ("body", "network", "output"), "nowhere"),
    (CONTRACT_GRAPH, {"x": [[1.0, 2.0, 3.0]]}, ("body", "inputs", "y"), ""),
    (CONTRACT_GRAPH, {"x": [[1.0, 2.0]], "y": [[0.5]]}, ("body", "inputs", "x"), "shape"),
    (CONTRACT_GRAPH, {"x": [["1", 2.0, 3.0]], "y": [[0.5]]}, ("body", "inputs", "x"), "string"),
], ids=["cycle", "unknown-op", "unknown-input-id", "unknown-output", "missing-input",
        "wrong-input-shape", "string-in-input"])
def test_bad_graph_is_422_naming_the_node_or_input(client, network, inputs, loc, word):
    r = client.post(URL, json={"network": network, "inputs": inputs})
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc, r.text
    assert word in error_text(r)


def test_graph_nodes_over_the_limit_are_422_naming_it():
    c = make_client(max_graph_nodes=5)
    r = c.post(URL, json={"network": CONTRACT_GRAPH, "inputs": CONTRACT_INPUTS})
    assert r.status_code == 422 and "BPV_MAX_GRAPH_NODES" in error_text(r)


def test_graph_session_steps_and_takes_new_inputs(client):
    r = client.post(f"{API}/sessions", json={"network": SHARED, "inputs": {"x": [2.0]}})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    step = client.post(f"{API}/sessions/{sid}/step", json={"lr": 0.01}).json()
    assert step["params"] == {"w": 3.0 - 0.01 * 12.0}
    f = client.post(f"{API}/sessions/{sid}/forward", json={"inputs": {"x": [1.0]}}).json()
    assert f["loss"] == pytest.approx((3.0 - 0.12) ** 2, rel=1e-14)


# -- rnn ----------------------------------------------------------------------------------

RNN = {"kind": "rnn", "cell": "rnn", "input_size": 1, "hidden_size": 1, "output_size": 1,
       "steps": 2, "activation": "tanh", "loss": "mse_last",
       "params": {"W_ih": [[0.5]], "W_hh": [[-1.0]], "b_ih": [0.1], "b_hh": [0.2],
                  "W_out": [[2.0]], "b_out": [0.3]}}
RNN_X, RNN_Y = [[[1.0], [2.0]]], [[0.5]]


def test_rnn_two_steps_match_hand_computation(client):
    r = client.post(URL, json={"network": RNN, "x": RNN_X, "y": RNN_Y})
    assert r.status_code == 200, r.text
    out = r.json()
    h1 = math.tanh(0.5 * 1 + 0.1 + 0.2)
    h2 = math.tanh(0.5 * 2 + 0.1 - 1.0 * h1 + 0.2)
    yhat = 2.0 * h2 + 0.3
    assert out["loss"] == pytest.approx((yhat - 0.5) ** 2, rel=1e-14)
    dy = 2 * (yhat - 0.5)
    dz2 = dy * 2.0 * (1 - h2 * h2)
    dz1 = dz2 * -1.0 * (1 - h1 * h1)
    g = out["param_grads"]
    assert g["b_out"] == [pytest.approx(dy, rel=1e-14)]
    assert g["W_out"] == [[pytest.approx(dy * h2, rel=1e-14)]]
    assert g["W_hh"] == [[pytest.approx(dz2 * h1, rel=1e-13)]]
    assert g["W_ih"] == [[pytest.approx(dz1 * 1 + dz2 * 2, rel=1e-13)]]
    assert g["b_ih"] == g["b_hh"] == [pytest.approx(dz1 + dz2, rel=1e-13)]
    # one contribution per time step, summing to the gradient
    uses = out["contributions"]["W_ih"]
    assert [u["via"] for u in uses] == ["z1", "z2"]
    assert uses[0]["grad"] == [[pytest.approx(dz1, rel=1e-13)]]
    assert uses[1]["grad"] == [[pytest.approx(2 * dz2, rel=1e-13)]]
    ids = {n["id"] for n in out["graph"]["nodes"]}
    assert {"x1", "x2", "h0", "h1", "h2", "z1", "z2", "yhat1", "yhat2", "loss"} <= ids


@pytest.mark.parametrize("change,x,loc", [
    ({}, [[[1.0], [2.0], [3.0]]], ("body", "x")),
    ({}, [[1.0, 2.0]], ("body", "x")),
    ({"cell": "gru"}, RNN_X, ("body", "network", "cell")),
    ({"hidden_size": 0}, RNN_X, ("body", "network", "hidden_size")),
    ({"truncate": 0}, RNN_X, ("body", "network", "truncate")),
    ({"recurrent_spectral_norm": -1.0}, RNN_X, ("body", "network", "recurrent_spectral_norm")),
    ({"params": {"W_hh": [[1.0, 2.0]]}}, RNN_X, ("body", "network", "params", "W_hh")),
], ids=["too-many-steps-in-x", "x-not-3d", "unknown-cell", "zero-hidden", "zero-truncate",
        "negative-spectral-norm", "wrong-param-shape"])
def test_bad_rnn_is_422_naming_the_field(client, change, x, loc):
    r = client.post(URL, json={"network": {**RNN, **change}, "x": x, "y": RNN_Y})
    assert r.status_code == 422, r.text
    assert error_locs(r)[0] == loc, r.text


def test_rnn_steps_over_the_limit_are_422_naming_it():
    c = make_client(max_steps=10)
    r = c.post(URL, json={"network": {**RNN, "steps": 11, "params": None},
                          "x": [[[0.0]] * 11], "y": RNN_Y})
    assert r.status_code == 422 and "BPV_MAX_STEPS" in error_text(r)


def test_exploding_rnn_answers_strict_json(client):
    net = {"kind": "rnn", "hidden_size": 4, "steps": 400, "activation": "identity",
           "recurrent_spectral_norm": 20.0}
    r = client.post(URL, json={"network": net, "x": [[[1.0]] * 400], "y": [[0.0]]})
    assert r.status_code == 200
    out = strict_loads(r.text)
    assert out["nonfinite"] is True and out["loss"] in ("Infinity", "NaN")
