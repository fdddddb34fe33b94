"""A computation graph (a DAG of ops), validated once and ordered for the sweeps.

Leaves are `input` nodes (fed by the caller: x, y) and `param` nodes (weights);
every other node names an op of the registry and the ids of its inputs.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .errors import SpecError
from .ops import OPS

LEAF_OPS = ("input", "param")
MEMO_SIZE = 8  # results kept per graph and purpose (e.g. costs for 8 input shapes)


@dataclass(frozen=True)
class Node:
    id: str
    op: str
    inputs: tuple = ()
    attrs: dict = field(default_factory=dict)

    @property
    def is_leaf(self):
        return self.op in LEAF_OPS


class Graph:
    """Nodes by id, the output node, and the orders in which the sweeps visit them."""

    def __init__(self, nodes, output, loc=("network", "nodes")):
        self.nodes = {}
        for i, node in enumerate(nodes):
            if node.id in self.nodes:
                raise SpecError(loc + (i, "id"), f"duplicate node id {node.id!r}")
            self.nodes[node.id] = node
        for i, node in enumerate(nodes):
            self._check_node(node, loc + (i,))
        if output not in self.nodes:
            raise SpecError(("network", "output"), f"unknown node id {output!r}")
        self.output = output
        self.op_order = self._topological_ops()
        self.consumers = {nid: [] for nid in self.nodes}
        for nid in self.op_order:
            for src in self.nodes[nid].inputs:
                users = self.consumers[src]
                if not users or users[-1] != nid:  # an input twice (x * x): one consumer; O(1)
                    users.append(nid)
        self.forward_order, self.backward_order = self._animation_orders()
        self._memo = {}

    def memo(self, purpose, key, compute):
        """compute(), remembered per `purpose` and `key` (the few most recent keys): what
        depends only on the graph and its leaves' shapes (cost, the trace's node list) is
        worked out once, since a Graph is read-only once built and may serve many runs."""
        table = self._memo.setdefault(purpose, OrderedDict())
        if key in table:
            table.move_to_end(key)
            return table[key]
        value = table[key] = compute()
        if len(table) > MEMO_SIZE:
            table.popitem(last=False)
        return value

    def _check_node(self, node, loc):
        if node.is_leaf:
            if node.inputs:
                raise SpecError(loc + ("inputs",), f"a {node.op} node takes no inputs")
            return
        op = OPS.get(node.op)
        if op is None:
            raise SpecError(loc + ("op",), f"unknown op {node.op!r}; known ops: "
                                           + ", ".join(sorted(OPS) + list(LEAF_OPS)))
        arity = op.arity if isinstance(op.arity, tuple) else (op.arity,)
        if len(node.inputs) not in arity:
            want = " or ".join(str(a) for a in arity)
            raise SpecError(loc + ("inputs",), f"op {node.op!r} takes {want} inputs, "
                                               f"got {len(node.inputs)}")
        for j, src in enumerate(node.inputs):
            if src not in self.nodes:
                raise SpecError(loc + ("inputs", j), f"unknown node id {src!r} "
                                                     f"(input of {node.id!r})")

    def _topological_ops(self):
        """Op nodes in an order where every input comes first; a cycle is named."""
        state = {}  # id -> 1 while on the DFS path, 2 when done
        order = []
        for root in self.nodes:
            if state.get(root):
                continue
            stack = [(root, iter(self.nodes[root].inputs))]
            state[root] = 1
            while stack:
                nid, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    state[nid] = 2
                    if not self.nodes[nid].is_leaf:
                        order.append(nid)
                elif state.get(child) == 1:
                    path = [n for n, _ in stack]
                    cycle = path[path.index(child):] + [child]
                    # The DFS walks from a node to its inputs; data flows the other way.
                    raise SpecError(("network", "nodes"),
                                    "the graph has a cycle: " + " -> ".join(reversed(cycle)))
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(self.nodes[child].inputs)))
        return order

    def _animation_orders(self):
        """Every node, in the order an animation steps through each sweep.

        Forward: each leaf just before the first op that reads it, then the op.
        Backward: each op, then the leaves whose gradient it completes (their last use).
        """
        forward, seen = [], set()
        for nid in self.op_order:
            for src in self.nodes[nid].inputs:
                if self.nodes[src].is_leaf and src not in seen:
                    seen.add(src)
                    forward.append(src)
            forward.append(nid)
        forward += [nid for nid, n in self.nodes.items() if n.is_leaf and nid not in seen]
        backward, done = [], set()
        for nid in reversed(self.op_order):
            backward.append(nid)
            for src in self.nodes[nid].inputs:
                if self.nodes[src].is_leaf and src not in done and self.consumers[src][0] == nid:
                    done.add(src)
                    backward.append(src)
        backward += [nid for nid, n in self.nodes.items() if n.is_leaf and nid not in done]
        return forward, backward

    def leaves(self, op):
        return self.with_op(op)

    def with_op(self, op):
        """The ids of the nodes of this op, in node order (remembered: a graph is read-only)."""
        return self.memo("with_op", op, lambda: [nid for nid, n in self.nodes.items() if n.op == op])

    def role(self, nid):
        node = self.nodes[nid]
        if node.is_leaf:
            return node.op
        return "loss" if nid == self.output else "op"


def shape_key(*arrays):
    """A hashable key of the shapes of dicts {id: array}: what a memo of the graph keys on."""
    return tuple((k, v.shape if type(v) is np.ndarray else np.shape(v))
                 for d in arrays for k, v in d.items())
