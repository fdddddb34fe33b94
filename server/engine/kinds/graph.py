"""Any acyclic computation graph (`kind: "graph"`): the spec's nodes become a `Graph`.

A spec lists nodes `{"id", "op", "inputs": [ids], "shape", "value"}`:
- `op: "input"`: data fed by id at run time (`inputs: {id: array}`); `shape` (optional)
  is checked, and may hold null for a free axis (the batch).
- `op: "param"`: a weight; `value` gives it, or `shape` alone draws it from `seed`
  (normal, σ = sqrt(2 / (n_first + n_last)), 1 for a scalar). `network.params` {id: array}
  overrides either, as for the MLP.
- any registered op (core/ops.py, core/activations.py, core/losses.py) with its inputs by id.
`output` names the node f (default "loss" if there is one, else the last node); it must
be a scalar op node. A parameter used by several ops is shared: its gradient is the sum
of the uses (autodiff accumulates; `contributions` lists each use).

Shapes are inferred from the input and param shapes by every op's shape rule (core/shapes.py),
before anything is computed, once per combination of shapes (then cached); a mismatch is a
SpecError naming the node, its op and its input shapes.
"""

from collections import OrderedDict

import numpy as np

from ..core.arrays import as_array
from ..core.errors import SpecError
from ..core.graph import LEAF_OPS, Graph, Node
from ..core.ops import OPS, graph_ops
from ..core.shapes import infer
from ..core.spec import explicit_params, seed_of
from .kind import Kind

NODE_FIELDS = ("id", "op", "inputs", "shape", "value")


def normalise(spec):
    """The checked structure of a graph spec (no parameter values; see `build`)."""
    nodes = spec.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise SpecError(("network", "nodes"), "must be a non-empty list of nodes "
                                              "{id, op, inputs, shape, value}")
    clean = [_node(raw, ("network", "nodes", i)) for i, raw in enumerate(nodes)]
    ids = [n["id"] for n in clean]
    output = spec.get("output")
    if output is None:
        output = "loss" if "loss" in ids else ids[-1]
    if not isinstance(output, str):
        raise SpecError(("network", "output"), f"must be a node id, got {output!r}")
    return {"kind": "graph", "output": output, "nodes": clean, "seed": seed_of(spec)}


def _node(raw, loc):
    if not isinstance(raw, dict):
        raise SpecError(loc, "must be an object {id, op, inputs, shape, value}")
    for key in raw:
        if key not in NODE_FIELDS:
            raise SpecError(loc + (key,), f"unknown field {key!r}; a node has: "
                                          + ", ".join(NODE_FIELDS))
    nid, op = raw.get("id"), raw.get("op")
    if not isinstance(nid, str) or not nid:
        raise SpecError(loc + ("id",), f"must be a non-empty string, got {nid!r}")
    if not isinstance(op, str):
        raise SpecError(loc + ("op",), f"must be an op name, got {op!r}")
    if op not in LEAF_OPS and (op not in OPS or not OPS[op].graph_op):
        what = "not a graph op (it is internal to the RNN)" if op in OPS else "an unknown op"
        raise SpecError(loc + ("op",), f"{op!r} is {what}; graph ops: "
                                       + ", ".join([*LEAF_OPS, *(o.name for o in graph_ops())]))
    inputs = raw.get("inputs") or []
    if not isinstance(inputs, list) or not all(isinstance(s, str) for s in inputs):
        raise SpecError(loc + ("inputs",), "must be a list of node ids")
    node = {"id": nid, "op": op, "inputs": list(inputs), "shape": None}
    if raw.get("shape") is not None:
        if op not in LEAF_OPS:
            raise SpecError(loc + ("shape",), f"only input and param nodes declare a shape "
                                              f"(node {nid!r} is a {op!r})")
        node["shape"] = _shape(raw["shape"], loc + ("shape",), free_ok=(op == "input"))
    if raw.get("value") is not None and op != "param":
        raise SpecError(loc + ("value",), f"only param nodes take a value (node {nid!r} is "
                                          f"a {op!r}; feed inputs by id in 'inputs')")
    if op == "param":
        node["shape"] = _param_shape(raw, node["shape"], loc)
    return node


def _shape(shape, loc, free_ok):
    if not isinstance(shape, list):
        raise SpecError(loc, f"must be a list of axis sizes, got {shape!r}")
    for j, s in enumerate(shape):
        if s is None and free_ok:
            continue
        if isinstance(s, bool) or not isinstance(s, int) or s <= 0:
            what = "a positive integer or null (a free axis)" if free_ok else "a positive integer"
            raise SpecError(loc + (j,), f"must be {what}, got {s!r}")
    return list(shape)


def _param_shape(raw, declared, loc):
    if raw.get("value") is None:
        if declared is None:
            raise SpecError(loc + ("value",), f"param {raw['id']!r} needs a value (an array) "
                                              "or a shape to draw it from the seed")
        return declared
    value = as_array(raw["value"], loc + ("value",))
    if value.size == 0:
        raise SpecError(loc + ("value",), f"param {raw['id']!r} is empty (shape "
                                          f"{tuple(value.shape)}); every axis needs at least one entry")
    if declared is not None and list(value.shape) != declared:
        raise SpecError(loc + ("value",), f"has shape {tuple(value.shape)} but the node "
                                          f"declares shape {tuple(declared)}")
    return list(value.shape)


def op_catalog():
    """Every op a graph node may name: {name, kind, inputs (allowed counts), doc, hvp}."""
    def counts(arity):
        return list(arity) if isinstance(arity, tuple) else [arity]
    leaves = [{"name": "input", "kind": "leaf", "inputs": [0], "doc": "data fed by id", "hvp": True},
              {"name": "param", "kind": "leaf", "inputs": [0], "doc": "a weight", "hvp": True}]
    return leaves + [{"name": op.name, "kind": op.kind, "inputs": counts(op.arity), "doc": op.doc,
                      "hvp": op.second_order} for op in graph_ops()]


def param_shapes(spec):
    """{param id: shape} in node order."""
    return {n["id"]: tuple(n["shape"]) for n in spec["nodes"] if n["op"] == "param"}


def graph_of(spec):
    """The validated Graph: ids, ops, arity, cycles (named) and the output are checked."""
    nodes = [Node(n["id"], n["op"], tuple(n["inputs"])) for n in spec["nodes"]]
    graph = Graph(nodes, spec["output"])
    if graph.nodes[graph.output].is_leaf:
        raise SpecError(("network", "output"), f"must be an op node computing f; "
                                               f"{graph.output!r} is a {graph.nodes[graph.output].op}")
    return graph


def build(spec):
    """(Graph, params) for a normalised graph spec (param values come from `spec.raw`)."""
    raw_spec = spec.raw
    graph = graph_of(spec)
    shapes = param_shapes(spec)
    given = explicit_params(raw_spec, shapes)
    rng = np.random.default_rng(spec["seed"])
    params = {}
    for i, node in enumerate(spec["nodes"]):
        if node["op"] != "param":
            continue
        shape = shapes[node["id"]]
        # Draw every parameter even when given, so giving one leaves the others unchanged.
        drawn = rng.normal(0.0, _init_scale(shape), size=shape)
        value = raw_spec["nodes"][i].get("value")
        if node["id"] in given:
            params[node["id"]] = given[node["id"]]
        elif value is not None:
            params[node["id"]] = as_array(value, ("network", "nodes", i, "value"))
        else:
            params[node["id"]] = drawn
    return graph, params


def _init_scale(shape):
    return 1.0 if len(shape) == 0 else float(np.sqrt(2.0 / (shape[0] + shape[-1])))


# -- data: inputs fed by id ------------------------------------------------------------------

def input_ids(spec):
    return [n["id"] for n in spec["nodes"] if n["op"] == "input"]


def check_inputs(spec, inputs, locs=None):
    """The input leaves {id: float64 array}, checked by id and shape and by one forward pass.

    `locs` maps an id to the request field it came from (default ("inputs", id)).
    Every input node must be fed; unknown ids and params are refused.
    """
    if not isinstance(inputs, dict):
        raise SpecError(("inputs",), "must be an object {input node id: array}")
    locs = locs or {}
    declared = {n["id"]: n for n in spec["nodes"]}
    for nid in inputs:
        if nid not in declared or declared[nid]["op"] != "input":
            raise SpecError(locs.get(nid, ("inputs", nid)),
                            f"{nid!r} is not an input node; this graph's inputs are: "
                            + ", ".join(input_ids(spec)))
    leaves = {}
    for nid in input_ids(spec):
        loc = locs.get(nid, ("inputs", nid))
        if nid not in inputs or inputs[nid] is None:
            raise SpecError(loc, f"input node {nid!r} is not fed; give it in 'inputs'")
        shape = declared[nid]["shape"]
        leaves[nid] = as_array(inputs[nid], loc, shape=None if shape is None else tuple(shape))
        if leaves[nid].size == 0:
            raise SpecError(loc, f"input {nid!r} is empty (shape {leaves[nid].shape}); "
                                 "every axis needs at least one entry")
    shapes_checked(spec, leaves, locs)
    return leaves


def check_data(spec, x, y):
    """x and y fed to the input nodes named "x" and "y" (a convenience; `inputs` is general).

    Either may be omitted (None) when the graph has no such input node.
    """
    ids = input_ids(spec)
    fed = {name: value for name, value in (("x", x), ("y", y)) if value is not None}
    for name in fed:
        if name not in ids:
            raise SpecError((name,), f"this graph has no input node {name!r}; feed its inputs "
                                     "by id with 'inputs': {" + ", ".join(ids) + "}")
    return check_inputs(spec, fed, locs={"x": ("x",), "y": ("y",)})


# -- shapes: inferred from the input and param shapes, once per combination of shapes --------

_CHECKED = OrderedDict()  # (structure, input shapes) -> labels, least recently used first
_CHECKED_MAX = 256


def _structure_key(spec):
    return (spec["output"],) + tuple((n["id"], n["op"], tuple(n["inputs"]),
                                      None if n["shape"] is None else tuple(n["shape"]))
                                     for n in spec["nodes"])


def shapes_checked(spec, leaves, locs=None):
    """Infer every node's shape (no array is computed) and check the class labels; a
    SpecError names the first node whose input shapes do not fit its op's rule."""
    key = (_structure_key(spec), tuple((k, np.shape(v)) for k, v in sorted(leaves.items())))
    labels = _CHECKED.get(key)
    if labels is None:
        labels = _inferred_labels(spec, {k: np.shape(v) for k, v in leaves.items()})
        _CHECKED[key] = labels
        if len(_CHECKED) > _CHECKED_MAX:
            _CHECKED.popitem(last=False)
    _CHECKED.move_to_end(key)
    for label_id, (n_classes, nid) in labels.items():
        _check_labels(leaves[label_id], n_classes, nid, (locs or {}).get(label_id, ("inputs", label_id)))


def _inferred_labels(spec, input_shapes):
    """{class-label input id: (classes, cross_entropy node)}, after checking every shape."""
    graph = graph_of(spec)
    index = {n["id"]: i for i, n in enumerate(spec["nodes"])}
    shapes = infer(graph, {**input_shapes, **param_shapes(spec)},
                   loc_of=lambda nid: ("network", "nodes", index[nid]))
    out = shapes[graph.output]
    if out != ():
        raise SpecError(("network", "output"), f"node {graph.output!r} must be a scalar f, "
                                               f"got shape {out}; reduce it with "
                                               "sum or mean, or end with a loss")
    labels = {}
    for nid in graph.op_order:
        node = graph.nodes[nid]
        if node.op != "cross_entropy" or len(shapes[node.inputs[1]]) != 1:
            continue
        label_id = node.inputs[1]
        if graph.nodes[label_id].op != "input":
            raise SpecError(("network", "nodes", index[nid], "inputs", 1),
                            f"node {nid!r}: class indices must come from an input node "
                            f"({label_id!r} is computed); computed targets must be rows "
                            "(m, classes)")
        labels[label_id] = (shapes[node.inputs[0]][1], nid)
    return labels


def _check_labels(y, n_classes, nid, loc):
    if np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= n_classes):
        raise SpecError(loc, f"class indices for {nid!r} must be integers in 0..{n_classes - 1}")


KIND = Kind("graph", normalise=normalise, param_shapes=param_shapes, build=build,
            check_data=check_data, check_inputs=check_inputs)
