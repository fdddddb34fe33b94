"""Every op's documented shape rule, and shape inference over a graph, before any array exists.

`infer(graph, leaf_shapes)` gives each node's shape from its inputs' shapes alone, so a
graph whose shapes do not fit is refused naming the node, its op and the rule, and the
cost of a run (cost_model.py) is known before numpy allocates anything: `add` of
(10⁶, 1) and (1, 10⁶) is a (10⁶, 10⁶) node, 10¹² numbers, found in microseconds.
A rule takes the input shapes (tuples) and returns the output shape, or raises
ShapeProblem with what the op needs; an op registered elsewhere (the RNN's, a test's)
carries its own (`Op.shape`).
"""

import math

import numpy as np

from .errors import SpecError
from .ops import OPS


class ShapeProblem(ValueError):
    """Input shapes an op cannot take (the message says what it needs)."""


def _elementwise(a):
    return a


def _at_least_1d(name):
    def rule(a):
        if len(a) == 0:
            raise ShapeProblem(f"{name} needs an array with at least one axis, got a scalar")
        return a
    return rule


def _broadcast(a, b):
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        raise ShapeProblem(f"shapes {a} and {b} do not broadcast (numpy's rule: trailing axes "
                           "equal or 1)") from None


def _matmul(a, b):
    if not a or not b:
        raise ShapeProblem("matmul needs arrays with at least one axis (use mul for scalars)")
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        raise ShapeProblem(f"matmul needs A's last axis ({a2[-1]}) to equal B's "
                           f"{'first' if len(b) == 1 else 'second-to-last'} axis ({b2[-2]})")
    batch = _broadcast(a2[:-2], b2[:-2])
    out = batch + (a2[-2],) * (len(a) > 1) + (b2[-1],) * (len(b) > 1)
    return out


def _linear(a, W, b=None):
    if len(a) != 2 or len(W) != 2 or a[1] != W[1]:
        raise ShapeProblem("linear needs a (m, r_in) and W (r_out, r_in)")
    if b is not None and b != (W[0],):
        raise ShapeProblem(f"linear needs b of shape ({W[0]},)")
    return (a[0], W[0])


def _scalar(*shapes):
    return ()


def _same_shape(name):
    def rule(a, y):
        if a != y:
            raise ShapeProblem(f"{name} needs a prediction and a target of the same shape")
        if not a:
            raise ShapeProblem(f"{name} divides by the first axis (the batch): give arrays "
                               "(m, …), not scalars")
        return ()
    return rule


def _cross_entropy(z, y):
    if len(z) != 2:
        raise ShapeProblem("cross_entropy takes logits of shape (m, classes)")
    if len(y) == 1:
        if y[0] != z[0]:
            raise ShapeProblem(f"expected {z[0]} class indices, one per row of the logits")
        return ()
    if y != z:
        raise ShapeProblem("labels must be class indices (m,) or rows (m, classes) like the logits")
    return ()


def _conv1d(x, w):
    if len(w) != 1 or len(x) not in (1, 2) or x[-1] < w[0]:
        raise ShapeProblem("conv1d needs x (m, L) or (L,) and a kernel w (k,) with k ≤ L")
    return x[:-1] + (x[-1] - w[0] + 1,)


RULES = {
    **{name: _elementwise for name in ("identity", "relu", "leaky_relu", "sigmoid", "tanh",
                                        "softplus", "exp", "log", "square", "neg")},
    "softmax": _at_least_1d("softmax"),
    "add": _broadcast, "sub": _broadcast, "mul": _broadcast, "div": _broadcast,
    "matmul": _matmul, "linear": _linear, "transpose": lambda a: a[::-1],
    "sum": _scalar, "mean": _scalar, "conv1d": _conv1d,
    "mse": _same_shape("mse"), "bce": _same_shape("bce"), "cross_entropy": _cross_entropy,
}


def size(shape):
    """Numbers in an array of this shape (a Python int: no overflow at 10¹²)."""
    return math.prod(shape)


def infer(graph, leaf_shapes, loc_of=lambda nid: ("network", "nodes", nid)):
    """{node id: shape} for every node, from the leaves' shapes; SpecError at the first
    node whose inputs do not fit its op's rule (naming the node, op and input shapes)."""
    shapes = {nid: tuple(s) for nid, s in leaf_shapes.items()}
    for nid in graph.op_order:
        node = graph.nodes[nid]
        ins = [shapes[i] for i in node.inputs]
        op = OPS.get(node.op)
        rule = RULES.get(node.op) or (op.shape if op is not None else None)
        try:
            if rule is None:
                raise ShapeProblem(f"op {node.op!r} has no shape rule")
            shapes[nid] = tuple(rule(*ins))
        except ShapeProblem as problem:
            listed = ", ".join(f"{i} {s}" for i, s in zip(node.inputs, ins))
            raise SpecError(loc_of(nid) + ("inputs",), f"node {nid!r} (op {node.op!r}) cannot "
                                                       f"take inputs of shapes {listed}: {problem}") from None
    return shapes
