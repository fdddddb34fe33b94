"""The backprop engine: pure numpy, float64, no web imports.

Symbols follow the lecture: a_i (activations), z_i (pre-activations), W_i, b_i
(weights, biases), b(·) the activation, f the loss; ∂f/∂z_i is `grads["z<i>"]`.

Laid out by layer, each importing only the layers above it in this list:
core/      the autodiff core: arrays, ops, activations, losses, the graph and its sweeps,
           shapes and the cost model, the trace, clipping, init, the request budget;
kinds/     the network kinds (mlp, graph, rnn), each one `Kind` record in a registry;
model.py   a built network of any kind (the entry point: `build_model`);
analysis/  gradient checking, Hessian-vector products, nudges, measured cost, diagnosis;
data/      datasets, CSV parsing, the numpy export, minibatches.
"""

from .core.clipping import Clip, clip_grads, parse_clip, total_norm
from .core.errors import LimitError, SpecError
from .core.ops import OPS
from .core.trace import backprop, backward_trace, forward_trace
from .kinds import KIND_NAMES, Normalised, normalise
from .model import Model, build_model, param_count

__all__ = ["Clip", "KIND_NAMES", "LimitError", "Model", "Normalised", "OPS", "SpecError",
           "backprop", "backward_trace", "build_model", "clip_grads", "forward_trace",
           "normalise", "param_count", "parse_clip", "total_norm"]
