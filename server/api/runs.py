"""Turning a validated request into a model and its input leaves, within the limits."""

import numpy as np

from ..engine import build_model
from ..engine.core.trace import PER_NODE_FIELDS
from ..engine.core.cost_model import model_cost
from . import limits

# Above this many numbers in `contributions`, per-use norms are sent unless detail="full".
CONTRIBUTION_ARRAYS_BUDGET = 100_000


def build_run(network, data, settings):
    """(Model, leaves) for a pydantic network spec and a request carrying x / y / inputs."""
    raw = network.model_dump(exclude_none=True)
    if getattr(network, "params", None) is not None:  # a graph network has no params
        raw["params"] = network.params
    spec, n_params = limits.check_network(raw, settings)  # normalised here, once
    limits.check_data(spec, data.x, settings, n_params)
    model = build_model(spec)
    leaves = model.leaves_from(data.x, data.y, data.inputs)  # shapes inferred, none computed
    cost = model_cost(model, leaves)
    work, what = data.work(model, cost)
    limits.check_cost(cost, work, settings, what)
    return model, leaves


def clip_of(body):
    """The engine's Clip from the request's validated `clip` (checked once, by the schema)."""
    return None if body.clip is None else body.clip.engine_clip()


def contribution_arrays(model):
    """How many numbers the per-use contribution arrays would hold (T × |θ| for an RNN)."""
    n_params = sum(int(np.size(p)) for p in model.params.values())
    uses = model.spec.get("steps", 1) if model.kind == "rnn" else 1
    return n_params * uses


def wants_contribution_arrays(model, detail, settings):
    """(build the per-use arrays, send them): send when asked, or by default while they are
    small; an RNN in summary mode never builds them (T × |θ| numbers)."""
    if detail == "gradients":
        return False, False
    size = contribution_arrays(model)
    if detail == "full":
        limits.check_values(size, settings, "detail")
        return True, True
    send = detail is None and size <= CONTRIBUTION_ARRAYS_BUDGET
    return send or model.kind != "rnn", send


def gradients_only(trace):
    """The compact answer (detail "gradients"): a trace without the engine's PER_NODE_FIELDS."""
    return {**{k: v for k, v in trace.items() if k not in PER_NODE_FIELDS}, "detail": "gradients"}


def with_detail(trace, full):
    """Each use's contribution with its norm, and its array when `full`.

    In summary mode an RNN's per-step norms are in `contribution_norms` (its arrays were
    never built); other kinds keep {via, norm} per use.
    """
    shaped = {}
    with np.errstate(all="ignore"):
        for name, uses in trace["contributions"].items():
            shaped[name] = [{"via": c["via"], "norm": float(np.linalg.norm(c["grad"])),
                             **({"grad": c["grad"]} if full else {})} for c in uses]
    return {**trace, "contributions": shaped, "detail": "full" if full else "summary"}
