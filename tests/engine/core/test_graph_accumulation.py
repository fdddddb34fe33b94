"""Gradients accumulate over uses (x * x, a shared parameter) and contributions add up."""

import numpy as np

from server.engine.core.autodiff import backward, forward
from server.engine.core.graph import Graph, Node

from ..gradcheck_util import check_vjp


def _run(nodes, output, leaves):
    graph = Graph(nodes, output)
    values = forward(graph, leaves)
    grads, uses = backward(graph, values)
    return graph, values, grads, uses


def test_value_multiplied_by_itself_gets_both_uses():
    x = np.array([1.5, -2.0, 3.0])
    _, values, grads, _ = _run([Node("x", "input"), Node("sq", "mul", ("x", "x")),
                                Node("f", "sum", ("sq",))], "f", {"x": x})
    assert values["f"] == 1.5 ** 2 + 4 + 9
    np.testing.assert_array_equal(grads["x"], 2 * x)   # not x (one use assigned over the other)


def test_node_read_by_two_ops_gets_the_sum_of_both_paths():
    # f = Σ (exp(h) + h²) with h = x·w: df/dh = exp(h) + 2h
    x, w = np.array([[0.5, -1.0]]), np.array([[2.0, 0.25]])
    nodes = [Node("x", "input"), Node("w", "param"), Node("h", "mul", ("x", "w")),
             Node("e", "exp", ("h",)), Node("s", "square", ("h",)), Node("t", "add", ("e", "s")),
             Node("f", "sum", ("t",))]
    _, values, grads, _ = _run(nodes, "f", {"x": x, "w": w})
    h = x * w
    np.testing.assert_allclose(grads["h"], np.exp(h) + 2 * h, rtol=1e-15)
    np.testing.assert_allclose(grads["w"], (np.exp(h) + 2 * h) * x, rtol=1e-15)


def _shared_weight_graph():
    # the contract's example, with the weight w used by two matmuls (weight sharing)
    nodes = [Node("x", "input"), Node("w", "param"),
             Node("h1", "matmul", ("x", "w")), Node("t", "tanh", ("h1",)),
             Node("u", "param"), Node("tu", "matmul", ("t", "u")),
             Node("h2", "matmul", ("tu", "w")),  # w again, on a different input
             Node("y", "input"), Node("loss", "mse", ("h2", "y"))]
    return nodes


def _shared_leaves():
    rng = np.random.default_rng(0)
    return {"x": rng.standard_normal((2, 3)), "w": rng.standard_normal((3, 3)),
            "u": rng.standard_normal((3, 3)), "y": rng.standard_normal((2, 3))}


def test_shared_weight_gradient_is_sum_of_uses():
    leaves = _shared_leaves()
    graph, values, grads, uses = _run(_shared_weight_graph(), "loss", leaves)
    via = [v for v, _ in uses["w"]]
    assert via == ["h1", "h2"]   # forward order, one entry per op that reads w
    np.testing.assert_allclose(sum(g for _, g in uses["w"]), grads["w"], rtol=1e-14)
    # each use's contribution is that op's own vjp: (input)ᵀ · ∂f/∂(op output)
    np.testing.assert_allclose(dict(uses["w"])["h1"], values["x"].T @ grads["h1"], rtol=1e-14)
    np.testing.assert_allclose(dict(uses["w"])["h2"], values["tu"].T @ grads["h2"], rtol=1e-14)
    assert not np.allclose(dict(uses["w"])["h1"], grads["w"])  # both uses matter
    assert [v for v, _ in uses["u"]] == ["tu"]


def test_shared_weight_gradient_matches_finite_differences():
    leaves = _shared_leaves()
    graph = Graph(_shared_weight_graph(), "loss")

    def loss_of_w(w):
        return forward(graph, {**leaves, "w": w})["loss"]

    def vjp(g, ans, w):
        return (backward(graph, forward(graph, {**leaves, "w": w}))[0]["w"] * g,)

    check_vjp(loss_of_w, vjp, [leaves["w"]], label="shared w")


def test_param_used_twice_by_one_op_is_one_contribution_with_both_uses():
    nodes = [Node("w", "param"), Node("sq", "mul", ("w", "w")), Node("f", "sum", ("sq",))]
    _, _, grads, uses = _run(nodes, "f", {"w": np.array([3.0, -1.0])})
    np.testing.assert_array_equal(grads["w"], [6.0, -2.0])
    assert len(uses["w"]) == 1
    np.testing.assert_array_equal(uses["w"][0][1], [6.0, -2.0])


def test_node_off_the_path_to_the_output_has_zero_gradient():
    nodes = [Node("x", "input"), Node("dead", "exp", ("x",)), Node("f", "sum", ("x",))]
    _, _, grads, _ = _run(nodes, "f", {"x": np.array([1.0, 2.0])})
    np.testing.assert_array_equal(grads["dead"], [0.0, 0.0])
    np.testing.assert_array_equal(grads["x"], [1.0, 1.0])


def test_repeated_backward_passes_do_not_accumulate_stale_gradients():
    leaves = _shared_leaves()
    graph = Graph(_shared_weight_graph(), "loss")
    values = forward(graph, leaves)
    first = backward(graph, values)[0]["w"].copy()
    second = backward(graph, values)[0]["w"]
    np.testing.assert_array_equal(first, second)


def test_mlp_contributions_sum_to_param_grads():
    from server.engine import backprop, build_model

    model = build_model({"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse",
                         "seed": 0})
    t = backprop(model, model.leaves_for([[0.5, -1.0], [2.0, 0.1]], [[1.0], [0.0]]))
    for name, g in t["param_grads"].items():
        contribs = t["contributions"][name]
        assert [c["via"] for c in contribs] == [f"z{name[1:]}"]
        np.testing.assert_array_equal(sum(c["grad"] for c in contribs), g)


def test_orders_visit_every_node_once_and_inputs_before_ops():
    graph = Graph(_shared_weight_graph(), "loss")
    assert sorted(graph.forward_order) == sorted(graph.nodes)
    assert sorted(graph.backward_order) == sorted(graph.nodes)
    pos = {nid: i for i, nid in enumerate(graph.forward_order)}
    for nid, node in graph.nodes.items():
        assert all(pos[src] < pos[nid] for src in node.inputs)
    back = {nid: i for i, nid in enumerate(graph.backward_order)}
    for nid, node in graph.nodes.items():  # an op's gradient is complete before its inputs'
        assert all(back[nid] < back[src] for src in node.inputs if not graph.nodes[src].is_leaf)
    assert graph.backward_order[0] == "loss"
