"""What a run will cost, known from its spec and input shapes before anything is allocated.

For every kind (mlp, rnn, graph) the model's graph and its leaves' shapes give each node's
shape (shapes.infer), hence:
- `values`: numbers one forward + backward holds (each node's value and gradient, and the
  parameters three times: value, gradient, update);
- `forward`: multiply-adds of one forward pass, each op at least NODE_OVERHEAD (the cost of
  one numpy call from Python, which is what a width-1 network spends its time on);
- `work`: one forward + backward, ≈ 3 forwards (the backward of a product is two products).
Endpoints multiply these by their passes (`Cost.gradcheck`, `Cost.hvp`, …), and the web
layer compares the product with BPV_MAX_REQUEST_WORK.
"""

from dataclasses import dataclass

import numpy as np

from .errors import SpecError
from .graph import shape_key
from .ops import OPS
from .shapes import infer, size

# ≈ 2.3·10¹⁰ multiply-adds a second on the 2-core reference machine (bench/guards_and_cost.py),
# and ≈ 5 µs of Python per op call: one op costs at least this many multiply-adds of time.
NODE_OVERHEAD = 1e5
BACKWARD_FACTOR = 2.0      # a backward pass ≈ 2 forwards
HVP_GRADIENTS = 2.0        # one Hessian-vector product ≈ 2 gradients (forward-over-reverse)


def op_work(op, in_shapes, out_shape):
    """Multiply-adds of one op's forward, from its shapes."""
    if op in ("matmul",):
        a = in_shapes[0]
        return size(out_shape) * (a[-1] if a else 1)
    if op == "linear":
        (m, r_in), (r_out, _) = in_shapes[0], in_shapes[1]
        return m * r_out * (r_in + 1)
    if op == "conv1d":
        return size(out_shape) * in_shapes[1][0]
    registered = OPS.get(op)
    if registered is not None and registered.work is not None:
        return registered.work(in_shapes, out_shape)
    return size(out_shape) + sum(size(s) for s in in_shapes)


@dataclass(frozen=True)
class Cost:
    """The cost of one forward + backward of one model on inputs of given shapes."""

    values: int
    forward: float
    n_params: int
    suffix: dict   # {node id: forward work from its first consumer on (finite differences)}
    sizes: dict    # {node id: numbers in it}

    @property
    def work(self):
        return self.forward * (1 + BACKWARD_FACTOR)

    def hvp(self, count=1):
        return count * HVP_GRADIENTS * self.work

    def finite_differences(self, arrays, max_entries):
        """Two partial forwards per checked entry of each of `arrays` (ids), as gradcheck and
        /cost run them: only the ops downstream of the entry are recomputed (for a deep
        narrow net that is O(depth) per entry, O(depth²) in all)."""
        return sum(2 * min(self.sizes[a], max_entries) * (self.suffix.get(a, 0) + NODE_OVERHEAD)
                   for a in arrays)


def leaf_shapes(model, leaves):
    """{leaf id: shape}: the fed inputs' and the parameters' (stacked RNN inputs included)."""
    shapes = {k: np.shape(v) for k, v in leaves.items()}
    shapes.update({k: np.shape(p) for k, p in model.params.items()})
    return shapes


def run_cost(graph, shapes, param_names):
    """Cost from a graph and its leaves' shapes (raises SpecError where shapes do not fit)."""
    shapes = infer(graph, shapes)
    sizes = {nid: size(s) for nid, s in shapes.items()}
    order = graph.op_order
    works = [op_work(graph.nodes[n].op, [shapes[i] for i in graph.nodes[n].inputs], shapes[n])
             + NODE_OVERHEAD for n in order]
    after = np.concatenate([np.cumsum(works[::-1])[::-1], [0.0]])  # after[i] = Σ works[i:]
    position = {n: i for i, n in enumerate(order)}
    first_use = {}
    for n in order:
        for src in graph.nodes[n].inputs:
            first_use.setdefault(src, position[n])
    suffix = {nid: float(after[first_use[nid]]) for nid in first_use}
    suffix.update({n: float(after[position[n] + 1]) for n in order})
    n_params = sum(sizes[p] for p in param_names)
    values = 2 * sum(sizes.values()) + n_params
    return Cost(values=values, forward=float(after[0]), n_params=n_params, suffix=suffix,
                sizes=sizes)


def model_cost(model, leaves):
    """The Cost of one forward + backward of `model` on `leaves` (worked out once per graph
    and leaf shapes: an RNN with T = 1000 is 4,000 nodes to infer)."""
    key = shape_key(leaves, model.params)
    return model.graph.memo("cost", key, lambda: run_cost(model.graph, dict(key), model.params))


def minibatch_cost(model, leaves, batch_size):
    """The Cost of one training step: on the whole batch, or on minibatches of `batch_size`
    (every input must then be batch first, and the graph must take a batch of that size)."""
    if batch_size is None:
        return model_cost(model, leaves)
    shapes = leaf_shapes(model, leaves)
    ids = list(leaves)
    m = shapes[ids[0]][0] if ids and shapes[ids[0]] else None
    for k in ids:
        if m is None or not shapes[k]:
            raise SpecError(("batch_size",), f"minibatches slice the first axis (the batch) of "
                                             f"every input; input {k!r} has shape {shapes[k]}: "
                                             "train without batch_size")
        if shapes[k][0] == m:  # as Minibatches does: leaves of another length stay whole
            shapes[k] = (min(batch_size, m),) + tuple(shapes[k][1:])
    try:
        return run_cost(model.graph, shapes, model.params)
    except SpecError as e:
        raise SpecError(("batch_size",), f"a minibatch of {min(batch_size, m)} does not fit "
                                         f"this graph ({e.message}); train without batch_size "
                                         "or with a batch the graph takes") from None


def gradcheck_work(model, cost, max_entries, nodes):
    """Multiply-adds of gradcheck: one forward + backward, then two partial forwards per
    checked entry of every parameter and (when `nodes`) every node but f."""
    arrays = list(model.params)
    if nodes:
        arrays += [n for n, node in model.graph.nodes.items()
                   if n != model.graph.output and node.op != "param"]
    return cost.work + cost.finite_differences(arrays, max_entries)
