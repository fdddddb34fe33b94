"""Refuse work beyond the configured limits before anything large is allocated."""

import numpy as np

from ..engine import LimitError, param_count
from ..engine import rnn
from ..engine.rnn_bptt import sweep_work


def _batch_of(x):
    if isinstance(x, np.ndarray):  # a large body's data arrives packed (body_parser.py)
        return len(x) if x.ndim else None
    return len(x) if isinstance(x, list) else None


def check_network(spec: dict, settings):
    """Parameter count, RNN length and graph size (an MLP's depth too), from the spec alone."""
    check_mlp_depth(spec, settings)
    if spec.get("kind") == "rnn" and spec.get("steps", 0) > settings.max_steps:
        raise LimitError(("network", "steps"), f"{spec['steps']} time steps exceed the limit of "
                         f"{settings.max_steps} (BPV_MAX_STEPS)", "BPV_MAX_STEPS")
    if spec.get("kind") == "graph" and len(spec.get("nodes", [])) > settings.max_graph_nodes:
        raise LimitError(("network", "nodes"), f"{len(spec['nodes'])} nodes exceed the limit of "
                         f"{settings.max_graph_nodes} (BPV_MAX_GRAPH_NODES)", "BPV_MAX_GRAPH_NODES")
    n = param_count(spec)
    if n > settings.max_params:
        raise LimitError(("network",), f"{n} parameters exceed the limit of "
                         f"{settings.max_params} (BPV_MAX_PARAMS)", "BPV_MAX_PARAMS")
    return n


def activations_per_example(spec: dict):
    """Floats one example holds across all nodes (a bound, to size a trace before building it)."""
    kind = spec.get("kind", "mlp")
    if kind == "mlp":
        return 2 * sum(spec["sizes"])
    if kind == "rnn":
        h, i, o = spec.get("hidden_size", 8), spec.get("input_size", 1), spec.get("output_size", 1)
        per_step = (10 if spec.get("cell") == "lstm" else 2) * h + i + o
        return spec.get("steps", 10) * per_step
    return 0  # graphs: bounded by their node count and the size of their fed inputs


def check_data(spec: dict, x, settings, n_params: int):
    """Batch size and total trace size; returns m (None when not known from x)."""
    m = _batch_of(x)
    if m is not None and m > settings.max_batch:
        raise LimitError(("x",), f"a batch of {m} examples exceeds the limit of "
                         f"{settings.max_batch} (BPV_MAX_BATCH)", "BPV_MAX_BATCH")
    if spec.get("kind") == "rnn":
        work = sweep_work(rnn.normalize(spec), m or 1)
        if work > settings.max_sweep_work:
            raise LimitError(("network", "truncate"), f"one backward sweep would take about {work:.3g} "
                             f"multiply-adds, over the limit of {settings.max_sweep_work:g} "
                             "(BPV_MAX_SWEEP_WORK); use fewer steps, a smaller hidden size or window",
                             "BPV_MAX_SWEEP_WORK")
    values = (m or 1) * activations_per_example(spec) * 2 + 3 * n_params
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
