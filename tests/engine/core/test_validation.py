"""Bad graphs and bad specs are refused with a SpecError that names the field."""

import numpy as np
import pytest

from server.engine import SpecError, build_model
from server.engine.core.graph import Graph, Node

LOC = ("network", "nodes")


def _refused(nodes, output="f"):
    with pytest.raises(SpecError) as err:
        Graph(nodes, output)
    return err.value


def test_cycle_is_refused_and_named():
    err = _refused([Node("x", "input"), Node("a", "add", ("x", "b")), Node("b", "exp", ("a",)),
                    Node("f", "sum", ("b",))])
    assert err.loc == LOC
    assert "cycle" in err.message
    # data flows a -> b -> a; either rotation names the same cycle
    assert ("a -> b -> a" in err.message) or ("b -> a -> b" in err.message), err.message


def test_self_loop_is_a_cycle():
    err = _refused([Node("a", "exp", ("a",)), Node("f", "sum", ("a",))])
    assert "a -> a" in err.message


def test_longer_cycle_names_every_node_on_it():
    err = _refused([Node("x", "input"), Node("p", "add", ("x", "r")), Node("q", "exp", ("p",)),
                    Node("r", "square", ("q",)), Node("f", "sum", ("r",))])
    cycle = err.message.split("cycle: ")[1].split(" -> ")
    assert cycle[0] == cycle[-1] and sorted(cycle[:-1]) == ["p", "q", "r"]


def test_unknown_input_id_is_refused_at_that_input():
    err = _refused([Node("x", "input"), Node("f", "add", ("x", "nope"))])
    assert err.loc == LOC + (1, "inputs", 1)
    assert "nope" in err.message


def test_duplicate_id_is_refused():
    err = _refused([Node("x", "input"), Node("x", "param"), Node("f", "sum", ("x",))])
    assert err.loc == LOC + (1, "id")
    assert "'x'" in err.message


def test_unknown_op_is_refused_with_the_known_ops():
    err = _refused([Node("x", "input"), Node("f", "frobnicate", ("x",))])
    assert err.loc == LOC + (1, "op")
    assert "frobnicate" in err.message and "matmul" in err.message


@pytest.mark.parametrize("op,inputs,want", [("add", ("x",), "2"), ("exp", ("x", "x"), "1"),
                                            ("linear", ("x",), "2 or 3")])
def test_wrong_arity_is_refused(op, inputs, want):
    err = _refused([Node("x", "input"), Node("f", op, inputs)])
    assert err.loc == LOC + (1, "inputs")
    assert f"takes {want} inputs, got {len(inputs)}" in err.message


def test_leaf_with_inputs_is_refused():
    err = _refused([Node("x", "input"), Node("w", "param", ("x",)), Node("f", "sum", ("w",))])
    assert err.loc == LOC + (1, "inputs")


def test_unknown_output_is_refused():
    err = _refused([Node("x", "input")], output="nowhere")
    assert err.loc == ("network", "output")


# -- MLP specs ----------------------------------------------------------------------------

BASE = {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse", "seed": 0}


def _spec_error(**changes):
    with pytest.raises(SpecError) as err:
        build_model({**BASE, **changes})
    return err.value


@pytest.mark.parametrize("sizes,loc", [([2, 0, 1], ("network", "sizes", 1)),
                                       ([2, 3, -1], ("network", "sizes", 2)),
                                       ([2.5, 3, 1], ("network", "sizes", 0)),
                                       ([2, True], ("network", "sizes", 1)),
                                       ([2], ("network", "sizes")),
                                       ("2,3", ("network", "sizes"))])
def test_bad_sizes_name_the_entry(sizes, loc):
    assert _spec_error(sizes=sizes).loc == loc


@pytest.mark.parametrize("field,value", [("activation", "swish"), ("output_activation", "gelu"),
                                         ("loss", "hinge"), ("init", "orthogonal"), ("seed", -1),
                                         ("kind", "transformer")])
def test_unknown_choices_name_the_field(field, value):
    err = _spec_error(**{field: value})
    assert err.loc == ("network", field)
    assert repr(value) in err.message


def test_cross_entropy_needs_identity_output():
    err = _spec_error(loss="cross_entropy", output_activation="sigmoid")
    assert err.loc == ("network", "output_activation")


def test_wrong_param_shape_names_the_param():
    err = _spec_error(params={"W1": [[1.0, 2.0]]})
    assert err.loc == ("network", "params", "W1")
    assert "(3, 2)" in err.message and "(1, 2)" in err.message


def test_unknown_param_names_it():
    err = _spec_error(params={"W3": [[1.0]]})
    assert err.loc == ("network", "params", "W3")


def test_no_bias_network_refuses_a_bias():
    err = _spec_error(bias=False, params={"b1": [0.0, 0.0, 0.0]})
    assert err.loc == ("network", "params", "b1")


def test_non_finite_param_is_refused():
    err = _spec_error(params={"b1": [0.0, float("nan"), 0.0]})
    assert err.loc == ("network", "params", "b1")
    assert "non-finite" in err.message


def test_explicit_params_are_used_and_others_keep_their_seeded_init():
    W1 = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    plain, given = build_model(BASE), build_model({**BASE, "params": {"W1": W1}})
    np.testing.assert_array_equal(given.params["W1"], W1)
    np.testing.assert_array_equal(given.params["W2"], plain.params["W2"])
    assert not np.array_equal(plain.params["W1"], W1)


# -- data ---------------------------------------------------------------------------------


def _data_error(x, y, **changes):
    model = build_model({**BASE, **changes})
    with pytest.raises(SpecError) as err:
        model.leaves_for(x, y)
    return err.value


@pytest.mark.parametrize("x", [[[1.0, float("nan")]], [[1.0, float("inf")]], [[1.0, 10 ** 400]]])
def test_non_finite_x_is_refused(x):
    # 10**400 (an integer too large for a float64) used to escape as an OverflowError
    err = _data_error(x, [[0.0]])
    assert err.loc == ("x",)
    assert "finite" in err.message


@pytest.mark.parametrize("x", [[[1.0, 2.0, 3.0]], [1.0, 2.0], [[1.0], [2.0, 3.0]], "abc", None, []])
def test_wrong_x_is_refused(x):
    assert _data_error(x, [[0.0]]).loc == ("x",)


@pytest.mark.parametrize("y", [[[0.0], [1.0]], [[0.0, 1.0]], [[float("nan")]], "y"])
def test_wrong_y_is_refused(y):
    assert _data_error([[1.0, 2.0]], y).loc == ("y",)


def test_one_output_accepts_a_flat_y():
    model = build_model(BASE)
    leaves = model.leaves_for([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.5])
    assert leaves["y"].shape == (2, 1)


@pytest.mark.parametrize("y", [[3.0], [-1.0], [0.5], [[1.0, 0.0]], [0.0, 1.0]])
def test_bad_class_labels_are_refused(y):
    err = _data_error([[1.0, 2.0]], y, sizes=[2, 3], loss="cross_entropy",
                      output_activation="identity")
    assert err.loc == ("y",)


def test_class_index_error_says_the_allowed_range():
    err = _data_error([[1.0, 2.0]], [3], sizes=[2, 3], loss="cross_entropy")
    assert "0..2" in err.message
