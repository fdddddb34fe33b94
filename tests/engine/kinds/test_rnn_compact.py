"""The compact trace (per_node=False, the answer of detail "gradients") is the full trace
without its per-node fields, to the bit, also where the run overflows."""

import numpy as np
import pytest

from server.engine import backprop, build_model
from server.engine.core.trace import PER_NODE_FIELDS


def _same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, np.floating, float)):
        # the same operations on the same inputs: equal bits (NaN where NaN)
        return np.array_equal(a, b, equal_nan=True)
    return a == b


@pytest.mark.parametrize("cell,loss,truncate,scale", [
    ("rnn", "mse_last", None, 1.0), ("rnn", "mse_all", 3, 1.0), ("lstm", "mse_all", None, 1.0),
    ("rnn", "mse_last", None, 1e200)])  # the last overflows: a first non-finite node is named
def test_the_compact_trace_is_the_full_one_without_the_per_node_fields(cell, loss, truncate, scale):
    spec = {"kind": "rnn", "cell": cell, "input_size": 2, "hidden_size": 4, "output_size": 1,
            "steps": 6, "loss": loss, "truncate": truncate, "seed": 2,
            **({"activation": "identity"} if scale > 1 else {})}
    model = build_model(spec)
    model.params["W_hh"] = model.params["W_hh"] * scale
    rng = np.random.default_rng(0)
    y = rng.normal(size=(3, 1) if loss == "mse_last" else (3, 6, 1))
    leaves = model.leaves_for(rng.normal(size=(3, 6, 2)), y)
    with np.errstate(all="ignore"):
        full = backprop(model, leaves, contributions=False)
        compact = backprop(model, leaves, contributions=False, per_node=False)
    assert set(compact) == set(full) - set(PER_NODE_FIELDS)
    assert _same(compact, {k: v for k, v in full.items() if k in compact})
    if scale > 1:
        assert compact["first_nonfinite_value"] is not None
        assert compact["first_nonfinite_value"] == full["first_nonfinite_value"]
