"""What a network kind is: one explicit record of the functions the engine calls for it.

A `Kind` names, for one `kind` of spec (mlp, graph, rnn), how to normalise the spec, how
many parameters it asks for and how many numbers an example holds (before anything is
allocated), how to build its graph and parameters, how to check its data, and which
sweeps, per-node derivatives, answer extras and predictions it provides itself (None:
the generic ones, or none). The model and the trace read these fields; nothing is looked
up by attribute name.

`normalise` runs once per request: its result is a `Normalised` spec, which every later
step (limits, build, the cost model) takes as it is.
"""

from dataclasses import dataclass
from typing import Callable


class Normalised(dict):
    """A spec dict as a kind's `normalise` returned it; `raw` is the spec it came from (for
    what normalising leaves out: explicit `params`, a graph's param values)."""

    def __init__(self, fields, raw):
        super().__init__(fields)
        self.raw = raw


@dataclass(frozen=True)
class Kind:
    name: str
    normalise: Callable          # raw spec -> dict of checked fields (raises SpecError)
    param_shapes: Callable       # normalised spec -> {param: shape}
    build: Callable              # normalised spec -> (Graph, {param: array})
    check_data: Callable         # (spec, x, y) -> checked input leaves
    check_inputs: Callable | None = None       # (spec, {input id: array}) -> leaves
    values_per_example: Callable | None = None  # spec -> a bound on the numbers one example holds
    forward: Callable | None = None            # (spec, graph, leaves, params, per_node) -> values
    backward: Callable | None = None           # (spec, graph, values, track_uses, per_node)
    #                                               -> (grads, uses); per_node=False: the sweep
    #                                               may skip per-node entries it can rebuild
    local_derivatives: Callable | None = None  # (spec, values) -> {activation id: b′(z)}
    extras: Callable | None = None             # (spec, params, values, grads, uses) -> {field: …}
    sweep_work: Callable | None = None         # (spec, m) -> multiply-adds of its own sweep
    predict: Callable | None = None            # (model, x) -> {layers, output, probability}
