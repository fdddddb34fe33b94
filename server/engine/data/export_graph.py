"""Any network exported as a standalone NumPy script of its computation graph: one line per
node, in forward order, each the op's NumPy expression of the nodes it reads (for an RNN,
the graph unrolled in time). It prints f, the loss the API reports for the same run.

The script defines each op once at its top, written out by hand from the engine's forward
rules (core/ops.py, core/activations.py, core/losses.py, kinds/rnn/ops.py); it imports
nothing of this project. Leaves (inputs, parameters) are embedded as JSON, whose floats
round-trip float64 exactly. The MLP keeps its own, longer export (export_numpy.py) with
the backward pass and gradient descent written out in the lecture's recursions.
"""

import json

import numpy as np

from ..core.errors import SpecError
from .export_numpy import ACTIVATION_SOURCE

_HEADER = '''"""backprop-viz export: {title}. Run with `python this_file.py`; needs only numpy.

The network's computation graph{unrolled}, one line per node in forward order; it prints
f, the same loss as the API's answer for this run.
"""
import json

import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(z):
    s = z - z.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def batch_size(a):
    return a.shape[0] if a.ndim > 0 else 1


def targets(labels, n_classes):
    if labels.ndim == 1:  # class indices -> one-hot rows
        onehot = np.zeros((labels.shape[0], n_classes))
        onehot[np.arange(labels.shape[0]), labels.astype(np.int64)] = 1.0
        return onehot
    return labels

'''

# op -> the definition of its forward function in the script (named like the op).
_OPS = {
    "linear": "def linear(a, W, b=None):\n    z = a @ W.T\n    return z if b is None else z + b",
    "matmul": "def matmul(A, B):\n    return A @ B",
    "transpose": "def transpose(A):\n    return np.transpose(A)",
    "add": "def add(A, B):\n    return A + B",
    "sub": "def sub(A, B):\n    return A - B",
    "mul": "def mul(A, B):\n    return A * B",
    "div": "def div(A, B):\n    return A / B",
    "neg": "def neg(A):\n    return -A",
    "exp": "def exp(A):\n    return np.exp(A)",
    "log": "def log(A):\n    return np.log(A)",
    "square": "def square(A):\n    return np.square(A)",
    "softmax": "def softmax(z):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True)",
    "sum": "def sum_(A):\n    return np.sum(A)",
    "mean": "def mean(A):\n    return np.mean(A)",
    "conv1d": ("def conv1d(x, w):  # out[:, j] = x[:, j:j+k] · w, for every patch j\n"
               "    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[0], axis=-1)\n"
               "    return windows @ w"),
    "mse": "def mse(a, y):\n    d = a - y\n    return np.sum(d * d) / batch_size(a)",
    "cross_entropy": ("def cross_entropy(z, labels):\n"
                      "    return -np.sum(targets(labels, z.shape[-1]) * log_softmax(z)) / batch_size(z)"),
    "bce": "def bce(z, y):  # from logits, stably\n    return np.sum(np.logaddexp(0.0, z) - y * z) / batch_size(z)",
    "rnn_pre": ("def rnn_pre(x, h, W_ih, W_hh, b_ih=None, b_hh=None):  # z_t = x_t W_ih^T + b + h_(t-1) W_hh^T\n"
                "    z = x @ W_ih.T\n    if b_ih is not None:\n        z = z + (b_ih + b_hh)\n"
                "    return z + h @ W_hh.T"),
    "lstm_gates": ("def lstm_gates(x, h, W_ih, W_hh, b_ih=None, b_hh=None):  # the gate blocks i, f, g, o, as torch\n"
                   "    z = x @ W_ih.T\n    if b_ih is not None:\n        z = z + (b_ih + b_hh)\n"
                   "    return z + h @ W_hh.T"),
    "lstm_c": ("def lstm_c(z, c_prev):  # c_t = f * c_(t-1) + i * g\n    H = z.shape[-1] // 4\n"
               "    i, f = sigmoid(z[..., :H]), sigmoid(z[..., H:2 * H])\n"
               "    return f * c_prev + i * np.tanh(z[..., 2 * H:3 * H])"),
    "lstm_h": ("def lstm_h(z, c):  # h_t = o * tanh(c_t)\n    H = z.shape[-1] // 4\n"
               "    return sigmoid(z[..., 3 * H:]) * np.tanh(c)"),
    "mse_all": ("def mse_all(*args):  # (1/m) sum over t and k of |yhat_t(k) - y(k, t)|^2\n"
                "    *yhats, y = args\n    d = np.stack(yhats, axis=1) - y\n    return np.sum(d * d) / y.shape[0]"),
}
# Activations: the same NumPy expressions as the MLP export's (sigmoid is in the header).
_OPS.update({name: f"def {name}(z):\n    return {b}" for name, (b, _) in ACTIVATION_SOURCE.items()
             if name != "sigmoid"})
_OPS["sigmoid"] = ""
_CALLED = {"sum": "sum_"}  # the script's function name where the op's would shadow a builtin


def exportable_ops():
    return set(_OPS)


def _leaf_json(values):
    return json.dumps({k: np.asarray(v).tolist() for k, v in values.items()})


def graph_script(model, leaves, title="a run"):
    """The text of a standalone NumPy script computing `model`'s loss on `leaves`."""
    graph = model.graph
    computed = [nid for nid in graph.forward_order if not graph.nodes[nid].is_leaf]
    ops = [graph.nodes[nid].op for nid in computed]
    missing = sorted(set(ops) - set(_OPS))
    if missing:
        raise SpecError(("network",), f"the NumPy export has no rule for op(s) {', '.join(missing)}")
    values = {nid: leaves[nid] if nid in leaves else model.params[nid]
              for nid in graph.forward_order if graph.nodes[nid].is_leaf}
    lines = [_HEADER.format(title=title, unrolled=" unrolled in time" if model.kind == "rnn" else "")]
    lines += [_OPS[op] + "\n\n" for op in dict.fromkeys(ops) if _OPS[op]]
    lines.append(f"LEAVES = json.loads({_leaf_json(values)!r})\n")
    lines.append("V = {name: np.array(value, dtype=float) for name, value in LEAVES.items()}\n")
    for nid in computed:
        node = graph.nodes[nid]
        args = ", ".join(f"V[{i!r}]" for i in node.inputs)
        lines.append(f"V[{nid!r}] = {_CALLED.get(node.op, node.op)}({args})\n")
    lines.append(f'\nif __name__ == "__main__":\n    print("loss =", repr(float(V[{graph.output!r}])))\n')
    return "".join(lines)
