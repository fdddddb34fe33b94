"""Loss functions f = loss(prediction, target), exactly as the contract defines them.

The batch is the first axis: every loss is a mean over the m examples and a sum over
the outputs of each example (for one example and one output, `mse` is the lecture's
(ŷ − y)²). `cross_entropy` and `bce` take logits and are computed stably.
Each loss also carries its forward-mode rules (jvp, rvjp; see ops.py) for Hessian-vector
products; a dot is a tangent along v and None a zero tangent.
"""

import numpy as np

from .activations import sigmoid
from .ops import Op, on, register, tangent_sum


def batch_size(a):
    return a.shape[0] if a.ndim > 0 else 1


# -- mse ------------------------------------------------------------------------------

def _mse(a, y):
    d = a - y
    return np.sum(d * d) / batch_size(a)


def _mse_vjp(g, ans, a, y):
    ga = (2.0 * g / batch_size(a)) * (a - y)
    return ga, -ga


def _mse_jvp(dots, ans, a, y):
    d_diff = tangent_sum(a.shape, dots[0], on(dots[1], np.negative))
    return (2.0 / batch_size(a)) * np.sum((a - y) * d_diff)


def _mse_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """d[(2g/m)(a − y)] = (2/m)[ġ (a − y) + g (ȧ − ẏ)]; the y-gradient is its negative."""
    a, y = inputs
    d_diff = tangent_sum(a.shape, dots[0], on(dots[1], np.negative))
    dga = (2.0 / batch_size(a)) * tangent_sum(
        a.shape, on(g_dot, lambda t: t * (a - y)), on(d_diff, lambda t: g * t))
    return (None if dots[0] is None else dga,
            None if dots[1] is None or dga is None else -dga)


register(Op("mse", _mse, _mse_vjp, 2, kind="loss",
            doc="f = (1/m) Σ_k ‖a(k) − y(k)‖²", jvp=_mse_jvp, rvjp=_mse_rvjp))


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


def _cross_entropy_jvp(dots, ans, z, labels):
    """ḟ = (1/m) Σ (p s − t)·ż − (1/m) Σ ṫ·log p, with p = softmax(z), s = Σ_j t_j."""
    m = batch_size(z)
    t = _targets(labels, z.shape[-1])
    logp = log_softmax(z)
    out = 0.0
    if dots[0] is not None:
        out = out + np.sum((np.exp(logp) * t.sum(axis=-1, keepdims=True) - t) * dots[0]) / m
    if dots[1] is not None and labels.ndim > 1:
        out = out - np.sum(dots[1] * logp) / m
    return np.float64(out)


def _cross_entropy_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """Tangents of gz = (g/m)(p s − t) and of g_t = −(g/m) log p.

    ṗ = p ⊙ (ż − ⟨p, ż⟩) per row, d(log p) = ż − ⟨p, ż⟩, ṡ = Σ_j ṫ_j.
    """
    z, labels = inputs
    dz, dt = dots[0], (dots[1] if labels.ndim > 1 else None)
    m = batch_size(z)
    t = _targets(labels, z.shape[-1])
    logp = log_softmax(z)
    p, s = np.exp(logp), t.sum(axis=-1, keepdims=True)
    dlogp = on(dz, lambda d: d - np.sum(p * d, axis=-1, keepdims=True))
    inner = tangent_sum(z.shape, on(dlogp, lambda d: p * d * s),
                        on(dt, lambda d: p * d.sum(axis=-1, keepdims=True) - d))
    gz = tangent_sum(z.shape, on(g_dot, lambda gd: (gd / m) * (p * s - t)),
                     on(inner, lambda d: (g / m) * d))
    gt = None
    if dt is not None:
        gt = tangent_sum(z.shape, on(g_dot, lambda gd: -(gd / m) * logp),
                         on(dlogp, lambda d: -(g / m) * d))
    return (None if dz is None else gz), gt


register(Op("cross_entropy", _cross_entropy, _cross_entropy_vjp, 2, kind="loss",
            doc="f = −(1/m) Σ_k log softmax(z(k))[y(k)], by log-sum-exp",
            jvp=_cross_entropy_jvp, rvjp=_cross_entropy_rvjp))


# -- binary cross entropy from logits --------------------------------------------------------

def _bce(z, y):
    # log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z)
    return np.sum(np.logaddexp(0.0, z) - y * z) / batch_size(z)


def _bce_vjp(g, ans, z, y):
    m = batch_size(z)
    return (g / m) * (sigmoid(z) - y), -(g / m) * z


def _bce_jvp(dots, ans, z, y):
    m = batch_size(z)
    return np.float64(np.sum(tangent_sum(z.shape, on(dots[0], lambda t: (sigmoid(z) - y) * t),
                                         on(dots[1], lambda t: -z * t))) / m)


def _bce_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """d[(g/m)(σ − y)] = (ġ/m)(σ − y) + (g/m)(σ(1 − σ) ż − ẏ);  d[−(g/m) z] = −(ġ/m) z − (g/m) ż."""
    z, y = inputs
    dz, dy = dots
    m = batch_size(z)
    sz = sigmoid(z)
    gz = gy = None
    if dz is not None:
        gz = tangent_sum(z.shape, on(g_dot, lambda t: (t / m) * (sz - y)),
                         (g / m) * sz * (1.0 - sz) * dz, on(dy, lambda t: -(g / m) * t))
    if dy is not None:
        gy = tangent_sum(z.shape, on(g_dot, lambda t: -(t / m) * z),
                         on(dz, lambda t: -(g / m) * t))
    return gz, gy


register(Op("bce", _bce, _bce_vjp, 2, kind="loss",
            doc="f = −(1/m) Σ_k Σ_j [y log σ(z) + (1 − y) log(1 − σ(z))], from logits",
            jvp=_bce_jvp, rvjp=_bce_rvjp))

LOSSES = ("mse", "cross_entropy", "bce")
