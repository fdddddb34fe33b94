"""Refuse work beyond the configured limits before anything large is allocated."""

import numpy as np

from ..engine import LimitError, normalise, param_count
from ..engine.kinds import kind_of


def _batch_of(x):
    if isinstance(x, np.ndarray):  # a large body's data arrives packed (body_parser.py)
        return len(x) if x.ndim else None
    return len(x) if isinstance(x, list) else None


def check_network(raw: dict, settings):
    """The network's size from the spec alone: an MLP's depth, a graph's node count and an
    RNN's length on the raw spec (before normalising it costs that much), then its parameter
    count. Returns (the Normalised spec, the parameter count)."""
    check_mlp_depth(raw, settings)
    if raw.get("kind") == "rnn" and raw.get("steps", 0) > settings.max_steps:
        raise LimitError(("network", "steps"), f"{raw['steps']} time steps exceed the limit of "
                         f"{settings.max_steps} (BPV_MAX_STEPS)", "BPV_MAX_STEPS")
    if raw.get("kind") == "graph" and len(raw.get("nodes", [])) > settings.max_graph_nodes:
        raise LimitError(("network", "nodes"), f"{len(raw['nodes'])} nodes exceed the limit of "
                         f"{settings.max_graph_nodes} (BPV_MAX_GRAPH_NODES)", "BPV_MAX_GRAPH_NODES")
    spec = normalise(raw)
    n = param_count(spec)
    if n > settings.max_params:
        raise LimitError(("network",), f"{n} parameters exceed the limit of "
                         f"{settings.max_params} (BPV_MAX_PARAMS)", "BPV_MAX_PARAMS")
    return spec, n


def check_data(spec, x, settings, n_params: int):
    """Batch size and total trace size of a Normalised spec; returns (m or None, numbers)."""
    m = _batch_of(x)
    if m is not None and m > settings.max_batch:
        raise LimitError(("x",), f"a batch of {m} examples exceeds the limit of "
                         f"{settings.max_batch} (BPV_MAX_BATCH)", "BPV_MAX_BATCH")
    kind = kind_of(spec)
    if kind.sweep_work is not None:  # the RNN: its truncated sweep grows as T·k
        work = kind.sweep_work(spec, m or 1)
        if work > settings.max_sweep_work:
            raise LimitError(("network", "truncate"), f"one backward sweep would take about {work:.3g} "
                             f"multiply-adds, over the limit of {settings.max_sweep_work:g} "
                             "(BPV_MAX_SWEEP_WORK); use fewer steps, a smaller hidden size or window",
                             "BPV_MAX_SWEEP_WORK")
    # graphs: bounded by their node count and the size of their fed inputs (the cost model)
    per_example = kind.values_per_example(spec) if kind.values_per_example else 0
    values = (m or 1) * per_example * 2 + 3 * n_params
    if values > settings.max_values:
        raise LimitError(("x",), f"this run would hold about {values} numbers, over the limit of "
                         f"{settings.max_values} (BPV_MAX_VALUES)", "BPV_MAX_VALUES")
    return m, values


def check_train(steps: int, step_cost, settings):
    """A /train call: its steps, and steps × one step's Cost against the work budget."""
    if steps > settings.max_train_steps:
        raise LimitError(("steps",), f"{steps} steps exceed the limit of "
                         f"{settings.max_train_steps} (BPV_MAX_TRAIN_STEPS)", "BPV_MAX_TRAIN_STEPS")
    check_work(steps * step_cost.work, settings, ("steps",), f"{steps} training steps")
    if steps * step_cost.values > settings.max_train_work:
        raise LimitError(("steps",), f"{steps} steps of this network exceed the work limit of "
                         f"{settings.max_train_work:g} (BPV_MAX_TRAIN_WORK, steps × numbers per "
                         "step)", "BPV_MAX_TRAIN_WORK")


def check_work(work, settings, loc, what):
    """Refuse a request whose estimated multiply-adds exceed BPV_MAX_REQUEST_WORK."""
    if work > settings.max_request_work:
        raise LimitError(loc, f"{what} would take about {work:.3g} multiply-adds, over the limit "
                              f"of {settings.max_request_work:.3g} (BPV_MAX_REQUEST_WORK); ask "
                              "for fewer steps, iterations or entries, or a smaller network",
                         "BPV_MAX_REQUEST_WORK")


def check_cost(cost, work, settings, what):
    """One run's Cost (numbers held, against BPV_MAX_VALUES) and a request's work."""
    if cost.values > settings.max_values:
        raise LimitError(("network",), f"this run would hold about {cost.values:.4g} numbers, over "
                         f"the limit of {settings.max_values} (BPV_MAX_VALUES)", "BPV_MAX_VALUES")
    check_work(work, settings, ("network",), what)


def check_mlp_depth(spec, settings):
    """An MLP of d layers is a graph of about 3d + 3 nodes: capped like a graph's."""
    sizes = spec.get("sizes")
    if spec.get("kind", "mlp") != "mlp" or not isinstance(sizes, list):
        return
    per_layer = 4 if spec.get("bias", True) else 3  # W, b, z, a
    nodes = per_layer * (len(sizes) - 1) + 3       # and a0, y, loss
    if nodes > settings.max_graph_nodes:
        raise LimitError(("network", "sizes"), f"{len(sizes) - 1} layers make a graph of {nodes} "
                         f"nodes, over the limit of {settings.max_graph_nodes} "
                         "(BPV_MAX_GRAPH_NODES)", "BPV_MAX_GRAPH_NODES")


def check_values(count, settings, field):
    if count > settings.max_values:
        raise LimitError((field,), f"this answer would hold about {count} numbers, over the limit "
                         f"of {settings.max_values} (BPV_MAX_VALUES); ask for detail \"summary\"",
                         "BPV_MAX_VALUES")
