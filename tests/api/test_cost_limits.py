"""Work is refused before it starts (issue 11, D2/D4): each request's estimate (numbers held,
multiply-adds) against BPV_MAX_VALUES and BPV_MAX_REQUEST_WORK, with a 422 naming the limit
and the estimate. Default-size repros where they are cheap to refuse; small limits where a
default-size body would be slow to build."""

import re

import numpy as np
import pytest

from api_helpers import API, error_text, make_client, session_from_preset

DEFAULT = make_client()


def _refused(r, limit):
    """The answer is a 422 naming `limit`, with an estimate (a number) in its message."""
    assert r.status_code == 422, r.text
    text = error_text(r)
    assert limit in text, text
    assert re.search(r"about \d", text), text
    return text


def _chain_graph(n_nodes, x_shape):
    """x, then tanh after tanh, then a sum: n_nodes in all."""
    nodes = [{"id": "x", "op": "input", "shape": list(x_shape)}]
    for i in range(1, n_nodes - 1):
        nodes.append({"id": f"t{i}", "op": "tanh", "inputs": [nodes[-1]["id"]]})
    nodes.append({"id": "loss", "op": "sum", "inputs": [nodes[-1]["id"]]})
    return {"kind": "graph", "nodes": nodes}


def test_a_5000_node_graph_on_a_200_by_200_input_is_refused_by_max_values():
    x = np.zeros((200, 200)).tolist()
    r = DEFAULT.post(f"{API}/backprop", json={"network": _chain_graph(5000, (200, 200)),
                                              "inputs": {"x": x}})
    _refused(r, "BPV_MAX_VALUES")


def test_add_of_a_column_and_a_row_is_refused_before_numpy_tries():
    """The issue's inputs are (10⁶, 1) and (1, 10⁶) (a 6 MB body, slow to send through the
    test client); 10⁵ makes the same 10¹⁰-number node. The exact sizes: the test below."""
    net = {"kind": "graph", "nodes": [
        {"id": "a", "op": "input"}, {"id": "b", "op": "input"},
        {"id": "s", "op": "add", "inputs": ["a", "b"]},
        {"id": "loss", "op": "sum", "inputs": ["s"]}]}
    inputs = {"a": [[0.0]] * 10**5, "b": [[0.0] * 10**5]}
    r = DEFAULT.post(f"{API}/backprop", json={"network": net, "inputs": inputs})
    text = _refused(r, "BPV_MAX_VALUES")
    assert "2e+10" in text  # the value and the gradient of the (10⁵, 10⁵) node


def test_add_of_a_million_column_and_row_is_refused_at_the_exact_size():
    net = {"kind": "graph", "nodes": [
        {"id": "a", "op": "param", "shape": [10**6, 1]}, {"id": "b", "op": "param", "shape": [1, 10**6]},
        {"id": "s", "op": "add", "inputs": ["a", "b"]},
        {"id": "loss", "op": "sum", "inputs": ["s"]}]}
    text = _refused(DEFAULT.post(f"{API}/backprop", json={"network": net}), "BPV_MAX_VALUES")
    assert "2e+12" in text


def test_a_million_layer_width_1_mlp_is_refused_by_the_node_limit():
    net = {"kind": "mlp", "sizes": [1] * 1_000_001, "activation": "identity"}
    r = DEFAULT.post(f"{API}/backprop", json={"network": net, "x": [[1.0]], "y": [[1.0]]})
    assert r.status_code == 422, r.text[:300]
    assert "BPV_MAX_GRAPH_NODES" in error_text(r) and "1000000 layers" in error_text(r)


def test_an_rnn_gradcheck_of_5000_steps_and_850_hidden_units_is_refused():
    net = {"kind": "rnn", "steps": 5000, "hidden_size": 850}
    r = DEFAULT.post(f"{API}/gradcheck", json={"network": net, "x": [[[0.1]] * 5000], "y": [[0.0]]})
    _refused(r, "BPV_MAX_REQUEST_WORK")


def test_gradcheck_on_a_deep_width_1_mlp_is_costed_quadratically_in_depth():
    """1,200 layers (under the node limit): ~2,400 entries, each recomputing the ops after it."""
    net = {"kind": "mlp", "sizes": [1] * 1201, "activation": "tanh"}
    r = DEFAULT.post(f"{API}/gradcheck", json={"network": net, "x": [[0.5]], "y": [[0.1]]})
    _refused(r, "BPV_MAX_REQUEST_WORK")
    shallow = {"kind": "mlp", "sizes": [1] * 51, "activation": "tanh"}
    ok = DEFAULT.post(f"{API}/gradcheck", json={"network": shallow, "x": [[0.5]], "y": [[0.1]]})
    assert ok.status_code == 200, ok.text[:300]


# [1000, 1000, 1] on m = 2000 (the issue's) is a 20 MB body; the same ratio of work to the
# budget with [100, 100, 1] on m = 200 and a budget 1000× smaller.
SMALL_WORK = dict(max_request_work=5e8)


def _big_session(client):
    rng = np.random.default_rng(0)
    body = {"network": {"kind": "mlp", "sizes": [100, 100, 1]},
            "x": rng.normal(size=(200, 100)).round(2).tolist(), "y": rng.normal(size=(200, 1)).round(2).tolist()}
    r = client.post(f"{API}/sessions", json=body)
    assert r.status_code == 201, r.text[:300]
    return r.json()["id"], body


def test_train_beyond_the_work_budget_is_refused_and_changes_nothing():
    client = make_client(**SMALL_WORK)
    sid, _ = _big_session(client)
    r = client.post(f"{API}/sessions/{sid}/train", json={"steps": 5500, "lr": 0.01})
    _refused(r, "BPV_MAX_REQUEST_WORK")
    assert client.get(f"{API}/sessions/{sid}").json()["step"] == 0
    small = client.post(f"{API}/sessions/{sid}/train", json={"steps": 3, "lr": 0.01})
    assert small.status_code == 200 and small.json()["step"] == 3


def test_eigen_of_500_iterations_beyond_the_budget_is_refused_and_30_pass():
    client = make_client(**SMALL_WORK)
    _, body = _big_session(client)
    _refused(client.post(f"{API}/eigen", json={**body, "iters": 500}), "BPV_MAX_REQUEST_WORK")
    assert client.post(f"{API}/eigen", json={**body, "iters": 5}).status_code == 200


def test_minibatches_cost_less_than_the_whole_batch():
    """batch_size 10 of 200 examples: a step does 1/20 of the products (the per-op cost of
    Python is the same), so 100 steps fit where the whole batch does not."""
    client = make_client(**SMALL_WORK)
    sid, _ = _big_session(client)
    full = client.post(f"{API}/sessions/{sid}/train", json={"steps": 100, "lr": 0.01})
    _refused(full, "BPV_MAX_REQUEST_WORK")
    mini = client.post(f"{API}/sessions/{sid}/train", json={"steps": 100, "lr": 0.01, "batch_size": 10})
    assert mini.status_code == 200, mini.text[:300]


def test_a_small_preset_session_trains_within_the_default_budget():
    sid = session_from_preset(DEFAULT)
    r = DEFAULT.post(f"{API}/sessions/{sid}/train", json={"steps": 200, "lr": 0.1})
    assert r.status_code == 200 and r.json()["step"] == 200


def test_new_inputs_on_a_graph_session_are_costed_before_the_forward_pass():
    """Today's door to D4 through a session: (2·10⁴, 1) + (1, 2·10⁴) is a 4·10⁸-number node."""
    net = {"kind": "graph", "nodes": [
        {"id": "a", "op": "input"}, {"id": "b", "op": "input"},
        {"id": "s", "op": "add", "inputs": ["a", "b"]},
        {"id": "loss", "op": "sum", "inputs": ["s"]}]}
    r = DEFAULT.post(f"{API}/sessions", json={"network": net, "inputs": {"a": [[1.0]], "b": [[2.0]]}})
    sid = r.json()["id"]
    big = {"inputs": {"a": [[0.0]] * 20_000, "b": [[0.0] * 20_000]}}
    _refused(DEFAULT.post(f"{API}/sessions/{sid}/forward", json=big), "BPV_MAX_VALUES")
    again = DEFAULT.post(f"{API}/sessions/{sid}/forward")  # the session kept its own inputs
    assert again.status_code == 200 and again.json()["loss"] == 3.0


def _issue_mlp():
    """The issue's [1000, 1000, 1] on m = 2000, built by the engine (no 20 MB body)."""
    from server.engine import build_model
    model = build_model({"kind": "mlp", "sizes": [1000, 1000, 1]})
    return model, model.leaves_for(np.zeros((2000, 1000)), np.zeros((2000, 1)))


def test_the_issues_5500_step_train_is_refused_at_its_exact_size():
    from server.api import limits
    from server.config import Settings
    from server.engine import LimitError
    from server.engine.core.cost_model import minibatch_cost
    model, leaves = _issue_mlp()
    with pytest.raises(LimitError) as refused:
        limits.check_train(5500, minibatch_cost(model, leaves, None), Settings())
    assert refused.value.limit_name == "BPV_MAX_REQUEST_WORK"
    # 5500 × 3 × (2000·1000·1001 + …): 33 min at the issue's measured rate
    assert "5500 training steps would take about 3.31e+13 multiply-adds" in refused.value.message


def test_the_issues_500_iteration_eigen_is_refused_at_its_exact_size():
    from server.api import limits
    from server.api.schemas import EigenRequest
    from server.config import Settings
    from server.engine import LimitError
    from server.engine.core.cost_model import model_cost
    model, leaves = _issue_mlp()
    cost = model_cost(model, leaves)
    body = EigenRequest(network={"kind": "mlp", "sizes": [1000, 1000, 1]}, x=[[0.0]], iters=500)
    work, what = body.work(model, cost)
    with pytest.raises(LimitError) as refused:
        limits.check_cost(cost, work, Settings(), what)
    assert refused.value.limit_name == "BPV_MAX_REQUEST_WORK" and "500 power iterations" in what
