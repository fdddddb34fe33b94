"""Turning a validated request into a model and its input leaves, within the limits."""

import numpy as np

from ..engine import build_model, parse_clip
from . import limits

# Above this many numbers in `contributions`, per-use norms are sent unless detail="full".
CONTRIBUTION_ARRAYS_BUDGET = 100_000


def build_run(network, data, settings):
    """(Model, leaves) for a pydantic network spec and a request carrying x / y / inputs."""
    spec = network.model_dump(exclude_none=True)
    if getattr(network, "params", None) is not None:  # a graph network has no params
        spec["params"] = network.params
    n_params = limits.check_network(spec, settings)
    limits.check_data(spec, data.x, settings, n_params)
    model = build_model(spec)
    leaves = model.leaves_from(data.x, data.y, data.inputs)
    return model, leaves


def clip_of(body):
    return parse_clip(None if body.clip is None else body.clip.model_dump())


def with_detail(trace, detail=None):
    """Per-use contribution arrays, or only their norms when asked (or when very large)."""
    contributions = trace.get("contributions")
    if contributions is None:
        return trace
    size = sum(np.size(c["grad"]) for uses in contributions.values() for c in uses)
    full = detail == "full" or (detail is None and size <= CONTRIBUTION_ARRAYS_BUDGET)
    shaped = {}
    for name, uses in contributions.items():
        shaped[name] = [{"via": c["via"], "norm": float(np.linalg.norm(c["grad"])),
                         **({"grad": c["grad"]} if full else {})} for c in uses]
    return {**trace, "contributions": shaped, "detail": "full" if full else "summary"}
