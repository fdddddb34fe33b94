"""The backprop engine: pure numpy, float64, no web imports.

Symbols follow the lecture: a_i (activations), z_i (pre-activations), W_i, b_i
(weights, biases), b(·) the activation, f the loss; ∂f/∂z_i is `grads["z<i>"]`.
"""

from .clipping import Clip, clip_grads, parse_clip, total_norm
from .errors import LimitError, SpecError
from .model import Model, build_model, param_count
from .ops import OPS
from .trace import backprop, backward_trace, forward_trace

__all__ = ["Clip", "LimitError", "Model", "OPS", "SpecError", "backprop", "backward_trace",
           "build_model", "clip_grads", "forward_trace", "param_count", "parse_clip",
           "total_norm"]
