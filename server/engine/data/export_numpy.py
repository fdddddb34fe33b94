"""A run exported as a standalone NumPy script that reproduces the same numbers.

The script is written out by hand (no import of this project): forward pass, loss,
backward pass with the lecture's recursions, and optionally `steps` gradient-descent
updates. Floats are written with repr(), which round-trips float64 exactly.
"""

import json

import numpy as np

from ..core.errors import SpecError

ACTIVATION_SOURCE = {  # name -> (b(z), b'(z) given z and a = b(z)), as NumPy source
    "identity": ("z", "np.ones_like(z)"),
    "relu": ("np.maximum(z, 0.0)", "(z > 0).astype(float)"),
    "leaky_relu": ("np.where(z > 0, z, 0.01 * z)", "np.where(z > 0, 1.0, 0.01)"),
    "sigmoid": ("sigmoid(z)", "a * (1.0 - a)"),
    "tanh": ("np.tanh(z)", "(1.0 - a) * (1.0 + a)"),
    "softplus": ("np.logaddexp(0.0, z)", "sigmoid(z)"),
}

_LOSS = {
    "mse": ("np.sum((p - y) ** 2) / m", "2.0 * (p - y) / m"),
    "bce": ("np.sum(np.logaddexp(0.0, p) - y * p) / m", "(sigmoid(p) - y) / m"),
    "cross_entropy": ("-np.sum(t * log_softmax(p)) / m",
                      "(np.exp(log_softmax(p)) * t.sum(axis=1, keepdims=True) - t) / m"),
}

_TEMPLATE = '''"""backprop-viz export: {title}. Run with `python this_file.py`; needs only numpy."""
import json

import numpy as np

SPEC = json.loads({spec!r})
PARAMS = {{k: np.array(v, dtype=float) for k, v in json.loads({params!r}).items()}}
X = np.array(json.loads({x!r}), dtype=float)
Y = np.array(json.loads({y!r}), dtype=float)
LR, STEPS = {lr!r}, {steps!r}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


# name -> (b(z), b'(z) given z and a = b(z))
ACTIVATIONS = {{
{activations}
}}


def targets(p):
    if Y.ndim == 1:  # class indices -> one-hot rows
        t = np.zeros_like(p)
        t[np.arange(len(Y)), Y.astype(int)] = 1.0
        return t
    return Y


def loss_and_grads(params):
    d = len(SPEC["sizes"]) - 1
    a, zs, acts = X, {{}}, {{0: X}}
    for i in range(1, d + 1):                       # forward: z_i = W_i a_(i-1) + b_i
        z = a @ params[f"W{{i}}"].T + (params[f"b{{i}}"] if SPEC["bias"] else 0.0)
        a = ACTIVATIONS[SPEC["activation"] if i < d else SPEC["output_activation"]][0](z)
        zs[i], acts[i] = z, a
    logits_from_z = SPEC["loss"] == "bce" and SPEC["output_activation"] == "sigmoid"
    p, y, m, t = (zs[d] if logits_from_z else a), Y, X.shape[0], None
    if SPEC["loss"] == "cross_entropy":
        t = targets(p)
    f = {loss_f}
    g = {loss_g}                                    # df/d(prediction)
    grads = {{}}
    for i in range(d, 0, -1):                       # backward
        if not (i == d and logits_from_z):
            name = SPEC["activation"] if i < d else SPEC["output_activation"]
            g = g * ACTIVATIONS[name][1](zs[i], acts[i])  # df/dz_i = (W_(i+1)^T df/dz_(i+1)) * b'(z_i)
        grads[f"W{{i}}"] = g.T @ acts[i - 1]        # df/dW_i = df/dz_i a_(i-1)^T
        if SPEC["bias"]:
            grads[f"b{{i}}"] = g.sum(axis=0)
        g = g @ params[f"W{{i}}"]
    return f, grads


if __name__ == "__main__":
    params = dict(PARAMS)
    f, grads = loss_and_grads(params)
    print("loss =", repr(float(f)))
    for step in range(STEPS):                       # gradient descent: W <- W - lr * df/dW
        params = {{k: v - LR * grads[k] for k, v in params.items()}}
        f, grads = loss_and_grads(params)
    if STEPS:
        print("loss after", STEPS, "steps =", repr(float(f)))
'''


def _activations_source():
    return "\n".join(f'    "{name}": (lambda z: {b}, lambda z, a: {db}),'
                     for name, (b, db) in ACTIVATION_SOURCE.items())


def export_script(spec, params, x, y, lr=0.1, steps=0, title="a run"):
    """The text of a standalone NumPy script for an MLP run."""
    if spec.get("kind") != "mlp":
        raise SpecError(("network", "kind"), "the NumPy export covers kind 'mlp' for now")
    as_list = {k: np.asarray(v).tolist() for k, v in params.items()}
    loss_f, loss_g = _LOSS[spec["loss"]]
    return _TEMPLATE.format(
        title=title, spec=json.dumps(spec), params=json.dumps(as_list),
        x=json.dumps(np.asarray(x).tolist()), y=json.dumps(np.asarray(y).tolist()),
        lr=float(lr), steps=int(steps),
        activations=_activations_source(), loss_f=loss_f, loss_g=loss_g,
    )
