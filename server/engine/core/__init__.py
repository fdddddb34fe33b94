"""The autodiff core, independent of any network kind.

errors, arrays      what a bad spec raises; JSON-ish values as checked float64 arrays
ops, activations,   the op registry (forward, vjp, forward-mode rules); registering the
losses              activations and losses is importing them, done here
graph, autodiff     the computation graph and its two sweeps
shapes, cost_model  shape inference and the cost of a run, before anything is allocated
stacked, trace      per-step arrays stacked over time; the recorded trace the page animates
clipping, init,     gradient clipping; weight init; helpers to read a spec; a request's
spec, budget        wall-clock budget
"""

from . import activations, losses  # noqa: F401 - registers their ops
