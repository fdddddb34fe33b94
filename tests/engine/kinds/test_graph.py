"""The `kind: "graph"` builder: validation, acyclic graphs, weight sharing, conv1d, new ops."""

import math

import numpy as np
import pytest

from server.engine import SpecError, backprop, build_model, param_count
from server.engine.kinds.graph import check_inputs, op_catalog
from server.engine.core.ops import OPS

from ..gradcheck_util import check_op

CONTRACT_EXAMPLE = {"kind": "graph", "output": "loss", "nodes": [
    {"id": "x", "op": "input", "shape": [1, 3]},
    {"id": "w", "op": "param", "value": [[0.1], [0.2], [-0.3]]},
    {"id": "h", "op": "matmul", "inputs": ["x", "w"]},
    {"id": "t", "op": "tanh", "inputs": ["h"]},
    {"id": "y", "op": "input", "shape": [1, 1]},
    {"id": "loss", "op": "mse", "inputs": ["t", "y"]}]}


def graph(*nodes, output=None, **extra):
    spec = {"kind": "graph", "nodes": [dict(n) for n in nodes], **extra}
    if output is not None:
        spec["output"] = output
    return spec


def node(nid, op, *inputs, **fields):
    return {"id": nid, "op": op, "inputs": list(inputs), **fields}


def run(spec, **inputs):
    model = build_model(spec)
    return model, backprop(model, check_inputs(model.spec, inputs))


def refusal(spec, **inputs):
    with pytest.raises(SpecError) as info:
        model = build_model(spec)
        check_inputs(model.spec, inputs)
    return info.value


# -- the contract's example, by hand ------------------------------------------------------

def test_contract_example_loss_and_gradient_by_hand():
    x, y = np.array([[1.0, 2.0, 3.0]]), np.array([[0.5]])
    w = np.array([[0.1], [0.2], [-0.3]])
    model, out = run(CONTRACT_EXAMPLE, x=x.tolist(), y=y.tolist())
    t = np.tanh(x @ w)
    assert out["loss"] == pytest.approx(float(((t - y) ** 2).sum()), rel=1e-15)
    dh = 2 * (t - y) * (1 - t ** 2)
    np.testing.assert_allclose(out["param_grads"]["w"], x.T @ dh, rtol=1e-14)
    assert [n["role"] for n in out["graph"]["nodes"]] == ["input", "param", "op", "op", "input", "loss"]
    assert param_count(CONTRACT_EXAMPLE) == 3


def test_x_and_y_feed_the_input_nodes_named_x_and_y():
    model = build_model(CONTRACT_EXAMPLE)
    leaves = model.leaves_for([[1.0, 2.0, 3.0]], [[0.5]])
    assert set(leaves) == {"x", "y"} and leaves["x"].shape == (1, 3)
    spec = graph(node("u", "input", shape=[2]), node("w", "param", value=[1.0, 2.0]),
                 node("p", "mul", "u", "w"), node("loss", "sum", "p"))
    with pytest.raises(SpecError, match="no input node 'x'") as info:
        build_model(spec).leaves_for([1.0, 2.0], None)
    assert info.value.loc == ("x",)


def test_default_output_is_loss_else_the_last_node():
    spec = graph(node("w", "param", value=[1.0, -2.0]), node("s", "square", "w"),
                 node("total", "sum", "s"))
    assert build_model(spec).graph.output == "total"
    spec["nodes"].append(node("loss", "mean", "s"))
    spec["nodes"].append(node("other", "sum", "s"))
    assert build_model(spec).graph.output == "loss"


def test_same_mlp_as_graph_of_linear_ops_gives_the_same_numbers():
    mlp = build_model({"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "seed": 3})
    p = {k: v.tolist() for k, v in mlp.params.items()}
    spec = graph(node("a0", "input", shape=[None, 2]), node("W1", "param", value=p["W1"]),
                 node("b1", "param", value=p["b1"]), node("z1", "linear", "a0", "W1", "b1"),
                 node("a1", "tanh", "z1"), node("W2", "param", value=p["W2"]),
                 node("b2", "param", value=p["b2"]), node("z2", "linear", "a1", "W2", "b2"),
                 node("y", "input", shape=[None, 1]), node("loss", "mse", "z2", "y"))
    x, y = [[0.5, -1.0], [2.0, 0.25]], [[1.0], [-0.5]]
    ref = backprop(mlp, mlp.leaves_for(x, y))
    _, out = run(spec, a0=x, y=y)
    # The graph and the MLP builder compute the same products in another order.
    assert math.isclose(out["loss"], ref["loss"], rel_tol=1e-13)
    for k in p:
        np.testing.assert_array_equal(out["param_grads"][k], ref["param_grads"][k])


# -- validation: each refusal names the field ---------------------------------------------

def test_cycle_is_refused_and_named():
    spec = graph(node("x", "input"), node("a", "add", "x", "b"), node("b", "tanh", "a"),
                 node("loss", "sum", "b"))
    err = refusal(spec)
    assert "cycle" in err.message and ("a -> b -> a" in err.message or "b -> a -> b" in err.message)
    assert err.loc == ("network", "nodes")


def test_self_loop_is_a_cycle():
    err = refusal(graph(node("w", "param", value=[1.0]), node("a", "mul", "w", "a"),
                        node("loss", "sum", "a")))
    assert "a -> a" in err.message


def test_unknown_input_id_is_named():
    err = refusal(graph(node("w", "param", value=[1.0]), node("loss", "sum", "v")))
    assert err.loc == ("network", "nodes", 1, "inputs", 0) and "'v'" in err.message


def test_duplicate_id_is_named():
    err = refusal(graph(node("w", "param", value=[1.0]), node("w", "param", value=[2.0]),
                        node("loss", "sum", "w")))
    assert err.loc == ("network", "nodes", 1, "id") and "duplicate" in err.message


def test_unknown_op_lists_the_known_ones():
    err = refusal(graph(node("w", "param", value=[1.0]), node("loss", "frobnicate", "w")))
    assert err.loc == ("network", "nodes", 1, "op")
    for known in ("matmul", "conv1d", "cross_entropy", "tanh", "input", "param"):
        assert known in err.message


def test_wrong_number_of_inputs_is_named():
    err = refusal(graph(node("w", "param", value=[1.0]), node("loss", "mul", "w")))
    assert err.loc == ("network", "nodes", 1, "inputs") and "takes 2 inputs, got 1" in err.message


def test_shape_mismatch_names_the_node_op_and_shapes():
    spec = graph(node("x", "input", shape=[None, 3]), node("w", "param", value=[[1.0], [2.0]]),
                 node("h", "matmul", "x", "w"), node("loss", "sum", "h"))
    err = refusal(spec, x=[[1.0, 2.0, 3.0]])
    assert err.loc == ("network", "nodes", 2, "inputs")
    assert "'h'" in err.message and "'matmul'" in err.message
    assert "x (1, 3)" in err.message and "w (2, 1)" in err.message


def test_mse_refuses_to_broadcast_a_target_of_another_shape():
    spec = graph(node("a", "input"), node("y", "input"), node("w", "param", value=1.0),
                 node("p", "mul", "a", "w"), node("loss", "mse", "p", "y"))
    err = refusal(spec, a=[[1.0], [2.0]], y=[1.0, 2.0])
    assert "'loss'" in err.message and "same shape" in err.message


def test_missing_and_ill_shaped_inputs_are_named():
    model = build_model(CONTRACT_EXAMPLE)
    with pytest.raises(SpecError) as info:
        check_inputs(model.spec, {"x": [[1.0, 2.0, 3.0]]})
    assert info.value.loc == ("inputs", "y") and "not fed" in info.value.message
    with pytest.raises(SpecError) as info:
        check_inputs(model.spec, {"x": [[1.0, 2.0]], "y": [[0.5]]})
    assert info.value.loc == ("inputs", "x") and "(1, 3)" in info.value.message
    with pytest.raises(SpecError) as info:
        check_inputs(model.spec, {"x": [[1.0, 2.0, 3.0]], "y": [[0.5]], "w": [[1.0]]})
    assert info.value.loc == ("inputs", "w")
    with pytest.raises(SpecError) as info:
        check_inputs(dict(model.spec, nodes=[dict(n, shape=None) for n in model.spec["nodes"]]),
                     {"x": [], "y": [[0.5]]})
    assert info.value.loc == ("inputs", "x") and "empty" in info.value.message


def test_free_batch_axis_accepts_any_batch_size():
    spec = dict(CONTRACT_EXAMPLE, nodes=[dict(n) for n in CONTRACT_EXAMPLE["nodes"]])
    spec["nodes"][0]["shape"] = [None, 3]
    spec["nodes"][4]["shape"] = [None, 1]
    _, out = run(spec, x=np.ones((5, 3)).tolist(), y=np.zeros((5, 1)).tolist())
    assert out["values"]["h"].shape == (5, 1)


def test_output_must_be_a_scalar_op_node():
    err = refusal(graph(node("w", "param", value=[1.0, 2.0]), node("s", "square", "w")))
    assert err.loc == ("network", "output") and "scalar" in err.message and "(2,)" in err.message
    err = refusal(graph(node("w", "param", value=[1.0]), node("s", "sum", "w"), output="w"))
    assert err.loc == ("network", "output")
    err = refusal(graph(node("w", "param", value=[1.0]), node("s", "sum", "w"), output="nope"))
    assert err.loc == ("network", "output") and "'nope'" in err.message


def test_bad_node_fields_are_named():
    err = refusal(graph(node("w", "param"), node("loss", "sum", "w")))
    assert err.loc == ("network", "nodes", 0, "value")
    err = refusal(graph(node("w", "param", value=[1.0], input=["x"]), node("loss", "sum", "w")))
    assert err.loc == ("network", "nodes", 0, "input") and "unknown field" in err.message
    err = refusal(graph(node("x", "input", value=[1.0]), node("loss", "sum", "x")))
    assert err.loc == ("network", "nodes", 0, "value")
    err = refusal(graph(node("w", "param", value=[[1.0, 2.0]], shape=[2, 1]), node("loss", "sum", "w")))
    assert err.loc == ("network", "nodes", 0, "value") and "(1, 2)" in err.message
    err = refusal(graph(node("w", "param", value=[1.0, float("nan")]), node("loss", "sum", "w")))
    assert err.loc == ("network", "nodes", 0, "value")
    err = refusal(graph(node("x", "input", shape=[0, 2]), node("loss", "sum", "x")))
    assert err.loc == ("network", "nodes", 0, "shape", 0)


def test_class_indices_are_checked_against_the_logits():
    spec = graph(node("x", "input", shape=[None, 2]), node("W", "param", value=np.eye(3, 2).tolist()),
                 node("z", "linear", "x", "W"), node("y", "input"), node("loss", "cross_entropy", "z", "y"))
    _, out = run(spec, x=[[1.0, 2.0], [0.0, 1.0]], y=[2, 0])
    assert np.isfinite(out["loss"])
    assert refusal(spec, x=[[1.0, 2.0], [0.0, 1.0]], y=[3, 0]).loc == ("inputs", "y")
    assert refusal(spec, x=[[1.0, 2.0], [0.0, 1.0]], y=[-1, 0]).loc == ("inputs", "y")
    assert "2 class indices" in refusal(spec, x=[[1.0, 2.0], [0.0, 1.0]], y=[1]).message


def test_shape_only_params_are_drawn_from_the_seed_and_params_override():
    spec = graph(node("w", "param", shape=[3, 2]), node("v", "param", shape=[2]),
                 node("p", "matmul", "w", "v"), node("loss", "sum", "p"), seed=4)
    a, b = build_model(spec), build_model(spec)
    np.testing.assert_array_equal(a.params["w"], b.params["w"])
    assert a.params["w"].shape == (3, 2) and np.all(a.params["w"] != 0)
    assert param_count(spec) == 8
    c = build_model({**spec, "params": {"v": [1.0, 1.0]}})
    np.testing.assert_array_equal(c.params["w"], a.params["w"])
    np.testing.assert_array_equal(c.params["v"], [1.0, 1.0])
    with pytest.raises(SpecError) as info:
        build_model({**spec, "params": {"v": [1.0]}})
    assert info.value.loc == ("network", "params", "v")


# -- acyclic graphs: several paths add up ---------------------------------------------------

def test_skip_connection_gradient_is_the_sum_of_both_paths():
    # s = tanh(u) + u: ∂f/∂u = ∂f/∂s ⊙ (1 − tanh²u) + ∂f/∂s
    spec = graph(node("x", "input", shape=[None, 2]), node("W", "param", value=[[0.3, -0.8], [0.5, 0.1]]),
                 node("u", "matmul", "x", "W"), node("h", "tanh", "u"), node("s", "add", "h", "u"),
                 node("q", "square", "s"), node("loss", "mean", "q"))
    x = np.array([[1.0, 2.0], [-0.5, 0.3]])
    _, out = run(spec, x=x.tolist())
    g, v = out["grads"], out["values"]
    np.testing.assert_allclose(g["s"], 2 * v["s"] / 4, rtol=1e-15)
    np.testing.assert_allclose(g["u"], g["s"] * (1 - np.tanh(v["u"]) ** 2) + g["s"], rtol=1e-14)
    np.testing.assert_allclose(out["param_grads"]["W"], x.T @ g["u"], rtol=1e-14)


def test_node_feeding_two_branches_gets_the_sum_of_both():
    # h feeds an exp branch and a square branch: ∂f/∂h = e^h + 2h (f = Σ e^h + Σ h²)
    spec = graph(node("w", "param", value=[0.5, -1.0, 2.0]), node("h", "mul", "w", "w"),
                 node("e", "exp", "h"), node("q", "square", "h"), node("se", "sum", "e"),
                 node("sq", "sum", "q"), node("loss", "add", "se", "sq"))
    _, out = run(spec)
    h = np.array([0.25, 1.0, 4.0])
    np.testing.assert_allclose(out["grads"]["h"], np.exp(h) + 2 * h, rtol=1e-15)
    # w * w uses w twice in one op: 2w ∂f/∂h
    np.testing.assert_allclose(out["param_grads"]["w"], 2 * np.array([0.5, -1.0, 2.0]) * (np.exp(h) + 2 * h),
                               rtol=1e-15)
    assert [c["via"] for c in out["contributions"]["w"]] == ["h"]


def test_shared_param_contributions_are_the_unshared_gradients_and_sum_to_its_grad():
    x = [[1.0, -2.0], [0.5, 0.25]]

    def net(w_first, w_second, **params):
        return graph(node("x", "input", shape=[None, 2]), *params.values(),
                     node("h1", "matmul", "x", w_first), node("a1", "tanh", "h1"),
                     node("h2", "matmul", "a1", w_second), node("y", "input", shape=[None, 2]),
                     node("loss", "mse", "h2", "y"))
    W = [[0.7, -0.2], [0.4, 0.9]]
    shared = net("W", "W", W=node("W", "param", value=W))
    split = net("A", "B", A=node("A", "param", value=W), B=node("B", "param", value=W))
    _, out = run(shared, x=x, y=[[0.0, 1.0], [1.0, 0.0]])
    _, ref = run(split, x=x, y=[[0.0, 1.0], [1.0, 0.0]])
    uses = out["contributions"]["W"]
    assert [u["via"] for u in uses] == ["h1", "h2"]
    np.testing.assert_allclose(uses[0]["grad"], ref["param_grads"]["A"], rtol=1e-15)
    np.testing.assert_allclose(uses[1]["grad"], ref["param_grads"]["B"], rtol=1e-15)
    np.testing.assert_allclose(uses[0]["grad"] + uses[1]["grad"], out["param_grads"]["W"], rtol=1e-15)
    # The graph and the MLP builder compute the same products in another order.
    assert math.isclose(out["loss"], ref["loss"], rel_tol=1e-13)


# -- weight sharing: conv1d -------------------------------------------------------------------

def test_conv1d_matches_the_contract_and_its_kernel_gradient_is_the_sum_over_patches():
    rng = np.random.default_rng(2)
    x, w, y = rng.standard_normal((3, 7)), np.array([0.5, -1.0, 0.25]), rng.standard_normal((3, 5))
    spec = graph(node("x", "input", shape=[None, 7]), node("w", "param", value=w.tolist()),
                 node("c", "conv1d", "x", "w"), node("y", "input", shape=[None, 5]),
                 node("loss", "mse", "c", "y"))
    _, out = run(spec, x=x.tolist(), y=y.tolist())
    reference = np.stack([np.correlate(row, w, mode="valid") for row in x])  # torch conv1d
    np.testing.assert_allclose(out["values"]["c"], reference, rtol=1e-14)
    g = out["grads"]["c"]
    patches = [g[:, j:j + 1] * x[:, j:j + 3] for j in range(5)]  # one term per patch j
    np.testing.assert_allclose(out["param_grads"]["w"], np.sum(patches, axis=(0, 1)), rtol=1e-13)
    np.testing.assert_allclose(g, 2 * (reference - y) / 3, rtol=1e-13)


def test_conv1d_refuses_a_kernel_longer_than_the_signal():
    spec = graph(node("x", "input"), node("w", "param", value=[1.0, 2.0, 3.0]),
                 node("c", "conv1d", "x", "w"), node("loss", "sum", "c"))
    err = refusal(spec, x=[[1.0, 2.0]])
    assert "'c'" in err.message and "k ≤ L" in err.message


# -- the extra ops ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(3))
def test_new_ops_vjp_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    check_op("neg", [rng.standard_normal((2, 3))], rng=rng)
    check_op("transpose", [rng.standard_normal((2, 3))], rng=rng)
    check_op("softmax", [2 * rng.standard_normal((3, 4))], rng=rng)
    check_op("div", [rng.standard_normal((3, 4)), rng.uniform(0.5, 2, (4,)) * rng.choice([-1, 1], 4)], rng=rng)
    check_op("div", [rng.standard_normal((3, 1)), rng.uniform(0.5, 2, (3, 4))], rng=rng)


def test_new_ops_forward_values():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    s = OPS["softmax"].forward(z)
    np.testing.assert_allclose(s[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-15)
    np.testing.assert_array_equal(s[1], [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(OPS["div"].forward(np.array([1.0, 3.0]), np.array([2.0])), [0.5, 1.5])
    np.testing.assert_array_equal(OPS["transpose"].forward(np.arange(6.0).reshape(2, 3)).shape, (3, 2))
    np.testing.assert_array_equal(OPS["neg"].forward(np.array([1.0, -2.0])), [-1.0, 2.0])


def test_op_catalog_documents_every_op_with_its_arity():
    catalog = {entry["name"]: entry for entry in op_catalog()}
    internal = {"rnn_pre", "lstm_gates", "lstm_c", "lstm_h", "mse_all"}  # the RNN's own
    assert set(catalog) == (set(OPS) - internal) | {"input", "param"}
    assert catalog["linear"]["inputs"] == [2, 3] and catalog["conv1d"]["inputs"] == [2]
    assert catalog["conv1d"]["doc"].startswith("out[:, j] = Σ_i x[:, j+i] w[i]")
    assert catalog["mse"]["kind"] == "loss" and catalog["tanh"]["hvp"] is True
