"""Shape inference (engine/core/shapes.py) against numpy, and the cost model's counts."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.engine import OPS, SpecError, build_model
from server.engine.core.cost_model import gradcheck_work, model_cost
from server.engine.core.graph import Graph, Node
from server.engine.core.shapes import RULES, ShapeProblem, infer


def test_every_registered_op_has_a_shape_rule():
    # the core ops' rules are in shapes.RULES; an op registered elsewhere (the RNN's) brings its own
    assert [name for name, op in OPS.items() if name not in RULES and op.shape is None] == []
    assert {"rnn_pre", "lstm_gates", "lstm_c", "lstm_h", "mse_all"} <= {
        name for name, op in OPS.items() if op.shape is not None}


shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)
UNARY_OR_BINARY = sorted(n for n, op in OPS.items() if op.graph_op and op.arity in (1, 2))


def _numpy_shape(op, in_shapes):
    """The forward's own shape, or None where numpy (or the op) refuses these shapes."""
    rng = np.random.default_rng(0)
    args = [rng.uniform(0.1, 1.0, size=s) for s in in_shapes]
    if op == "cross_entropy" and len(in_shapes[1]) == 1 and len(in_shapes[0]) == 2:
        args[1] = np.zeros(in_shapes[1])  # class indices
    try:
        with np.errstate(all="ignore"):
            return np.shape(OPS[op].forward(*args))
    except (ValueError, IndexError, TypeError):
        return None


@settings(max_examples=400, derandomize=True)
@given(st.sampled_from(UNARY_OR_BINARY), shapes, shapes)
def test_inferred_shapes_are_the_forwards_where_the_rule_accepts(op, a, b):
    in_shapes = [a] if OPS[op].arity == 1 else [a, b]
    try:
        inferred = tuple(RULES[op](*in_shapes))
    except ShapeProblem:
        return  # refused before the run: stricter than numpy is allowed (mse of scalars)
    assert _numpy_shape(op, in_shapes) == inferred


def test_infer_names_the_node_whose_inputs_do_not_fit():
    g = Graph([Node("a", "input"), Node("b", "input"), Node("s", "add", ("a", "b")),
               Node("loss", "sum", ("s",))], "loss")
    assert infer(g, {"a": (10**6, 1), "b": (1, 10**6)})["s"] == (10**6, 10**6)
    with pytest.raises(SpecError, match=r"node 's' \(op 'add'\).*a \(2,\), b \(3,\)"):
        infer(g, {"a": (2,), "b": (3,)})


def _width1(depth):
    model = build_model({"kind": "mlp", "sizes": [1] * (depth + 1), "activation": "tanh"})
    return model, model.leaves_for([[0.5]], [[0.1]])


def test_gradcheck_work_of_a_width_1_mlp_grows_with_the_square_of_its_depth():
    works = []
    for depth in (100, 200):
        model, leaves = _width1(depth)
        works.append(gradcheck_work(model, model_cost(model, leaves), 200, True))
    assert 3.5 < works[1] / works[0] < 4.5  # quadratic, plus a linear part


def test_matmul_work_is_m_n_k_and_values_count_every_node_twice():
    g = Graph([Node("A", "input"), Node("B", "param"), Node("P", "matmul", ("A", "B")),
               Node("loss", "sum", ("P",))], "loss")
    from server.engine.core.cost_model import NODE_OVERHEAD, run_cost
    cost = run_cost(g, {"A": (7, 5), "B": (5, 3)}, ["B"])
    assert cost.forward == 7 * 5 * 3 + NODE_OVERHEAD + (21 + 1) + NODE_OVERHEAD
    assert cost.values == 2 * (35 + 15 + 21 + 1) + 15
