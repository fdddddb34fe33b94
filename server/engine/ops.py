"""The op registry: every op's forward and vector-Jacobian product, side by side.

Notation (the lecture's): for an op `ans = f(*inputs)`, `g` is ∂f_total/∂ans, and
`vjp(g, ans, *inputs, **attrs)` returns one array per input, ∂f_total/∂input
(or None for an input with no gradient, such as integer class labels).

`jvp(tangents, ans, *inputs, **attrs)` (forward mode) slots in beside them for
Hessian-vector products; the traversal never needs to know which ops have it.
Registration is explicit: `register(Op(...))`, no import-time discovery.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Op:
    name: str
    forward: Callable
    vjp: Callable
    arity: int | tuple[int, ...]  # allowed input counts
    kind: str = "op"              # "op", "activation" or "loss"
    doc: str = ""
    jvp: Callable | None = None


OPS: dict[str, Op] = {}


def register(op: Op) -> Op:
    OPS[op.name] = op
    return op


def unbroadcast(grad, shape):
    """Sum `grad` down to `shape`, undoing numpy broadcasting (used by every binary rule)."""
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# -- linear algebra ---------------------------------------------------------------------

def _linear(a, W, b=None):
    z = a @ W.T
    return z if b is None else z + b


def _linear_vjp(g, ans, a, W, b=None):
    grads = (g @ W, g.T @ a)
    return grads if b is None else grads + (g.sum(axis=0),)


register(Op("linear", _linear, _linear_vjp, (2, 3),
            doc="z = a Wᵀ + b, batch first: a (m, r_in), W (r_out, r_in), b (r_out,)"))


def _matmul_vjp(g, ans, A, B):
    # Promote 1-D operands as numpy's matmul does, so one rule covers vectors, matrices
    # and stacks of matrices (batch axes broadcast, hence unbroadcast).
    A2 = A[np.newaxis, :] if A.ndim == 1 else A
    B2 = B[:, np.newaxis] if B.ndim == 1 else B
    g2 = np.asarray(g)
    if B.ndim == 1:
        g2 = g2[..., np.newaxis]
    if A.ndim == 1:
        g2 = g2[..., np.newaxis, :]
    gA = unbroadcast(g2 @ np.swapaxes(B2, -1, -2), A2.shape).reshape(A.shape)
    gB = unbroadcast(np.swapaxes(A2, -1, -2) @ g2, B2.shape).reshape(B.shape)
    return gA, gB


register(Op("matmul", lambda A, B: A @ B, _matmul_vjp, 2, doc="A @ B"))

# -- elementwise arithmetic (numpy broadcasting) ----------------------------------------

register(Op("add", lambda A, B: A + B,
            lambda g, ans, A, B: (unbroadcast(g, A.shape), unbroadcast(g, B.shape)), 2,
            doc="A + B (broadcasting)"))
register(Op("sub", lambda A, B: A - B,
            lambda g, ans, A, B: (unbroadcast(g, A.shape), unbroadcast(-g, B.shape)), 2,
            doc="A − B (broadcasting)"))
register(Op("mul", lambda A, B: A * B,
            lambda g, ans, A, B: (unbroadcast(g * B, A.shape), unbroadcast(g * A, B.shape)), 2,
            doc="A ⊙ B (elementwise, broadcasting)"))
register(Op("exp", np.exp, lambda g, ans, A: (g * ans,), 1, doc="exp(A)"))
register(Op("log", np.log, lambda g, ans, A: (g / A,), 1, doc="log(A)"))
register(Op("square", np.square, lambda g, ans, A: (2.0 * g * A,), 1, doc="A²"))

# -- reductions to a scalar ---------------------------------------------------------------

register(Op("sum", lambda A: np.sum(A), lambda g, ans, A: (np.full(A.shape, g, dtype=np.float64),), 1,
            doc="Σ A (to a scalar)"))
register(Op("mean", lambda A: np.mean(A),
            lambda g, ans, A: (np.full(A.shape, g / max(A.size, 1), dtype=np.float64),), 1,
            doc="mean of A (to a scalar)"))

# -- weight sharing: a 1-D convolution -------------------------------------------------


def _conv1d(x, w):
    k = w.shape[0]
    windows = np.lib.stride_tricks.sliding_window_view(x, k, axis=-1)  # (m, L-k+1, k)
    return windows @ w


def _conv1d_vjp(g, ans, x, w):
    k = w.shape[0]
    windows = np.lib.stride_tricks.sliding_window_view(x, k, axis=-1)
    gw = np.tensordot(g, windows, axes=g.ndim)  # Σ over examples and patches: (k,)
    gx = np.zeros_like(x)
    for i in range(k):  # the same kernel entry w[i] touches x[:, j+i] for every patch j
        gx[..., i:i + g.shape[-1]] += g * w[i]
    return gx, gw


register(Op("conv1d", _conv1d, _conv1d_vjp, 2,
            doc="out[:, j] = Σ_i x[:, j+i] w[i]; x (m, L), w (k,), stride 1, no padding"))
