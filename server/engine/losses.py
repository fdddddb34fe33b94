"""Loss functions f = loss(prediction, target), exactly as the contract defines them.

The batch is the first axis: every loss is a mean over the m examples and a sum over
the outputs of each example (for one example and one output, `mse` is the lecture's
(ŷ − y)²). `cross_entropy` and `bce` take logits and are computed stably.
"""

import numpy as np

from .activations import sigmoid
from .ops import Op, register


def batch_size(a):
    return a.shape[0] if a.ndim > 0 else 1


# -- mse ------------------------------------------------------------------------------

def _mse(a, y):
    d = a - y
    return np.sum(d * d) / batch_size(a)


def _mse_vjp(g, ans, a, y):
    ga = (2.0 * g / batch_size(a)) * (a - y)
    return ga, -ga


register(Op("mse", _mse, _mse_vjp, 2, kind="loss",
            doc="f = (1/m) Σ_k ‖a(k) − y(k)‖²"))


# -- cross entropy (softmax over the logits) ------------------------------------------------

def log_softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _targets(labels, n_classes):
    """Class indices (m,) become one-hot rows; probability rows (m, C) pass through."""
    if labels.ndim == 1:
        onehot = np.zeros((labels.shape[0], n_classes))
        onehot[np.arange(labels.shape[0]), labels.astype(np.int64)] = 1.0
        return onehot
    return labels


def _cross_entropy(z, labels):
    t = _targets(labels, z.shape[-1])
    return -np.sum(t * log_softmax(z)) / batch_size(z)


def _cross_entropy_vjp(g, ans, z, labels):
    m = batch_size(z)
    t = _targets(labels, z.shape[-1])
    logp = log_softmax(z)
    gz = (g / m) * (np.exp(logp) * t.sum(axis=-1, keepdims=True) - t)
    # Class indices are not differentiable; soft / one-hot targets are.
    glabels = None if labels.ndim == 1 else -(g / m) * logp
    return gz, glabels


register(Op("cross_entropy", _cross_entropy, _cross_entropy_vjp, 2, kind="loss",
            doc="f = −(1/m) Σ_k log softmax(z(k))[y(k)], by log-sum-exp"))


# -- binary cross entropy from logits --------------------------------------------------------

def _bce(z, y):
    # log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z)
    return np.sum(np.logaddexp(0.0, z) - y * z) / batch_size(z)


def _bce_vjp(g, ans, z, y):
    m = batch_size(z)
    return (g / m) * (sigmoid(z) - y), -(g / m) * z


register(Op("bce", _bce, _bce_vjp, 2, kind="loss",
            doc="f = −(1/m) Σ_k Σ_j [y log σ(z) + (1 − y) log(1 − σ(z))], from logits"))

LOSSES = ("mse", "cross_entropy", "bce")
