"""The op registry: every op's forward, vector-Jacobian product and forward-mode rules, side by side.

Notation (the lecture's): for an op `ans = f(*inputs)`, `g` is ∂f_total/∂ans, and
`vjp(g, ans, *inputs, **attrs)` returns one array per input, ∂f_total/∂input
(or None for an input with no gradient, such as integer class labels).

Forward mode, for Hessian-vector products (Pearlmutter's R-operator, see analysis/hvp.py): a dot
means "the directional derivative along v", and None stands for a zero tangent.
- `jvp(dots, ans, *inputs, **attrs)`: ȧns from the inputs' tangents `dots` (a tuple).
- `rvjp(g, g_dot, ans, ans_dot, inputs, dots, **attrs)`: the tangents of the vjp's
  outputs, i.e. d/dt vjp(g + t ġ, ans + t ȧns, *(inputs + t dots)). Only the inputs whose
  tangent is not None need one (the others may be None).
The traversal never needs to know which ops have them; an op without them refuses hvp.
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
    rvjp: Callable | None = None
    # The vjp without the first input's gradient (None in its place), for when that input
    # is data whose gradient nobody asked for: a0 = x in the first layer costs as much
    # as ∂f/∂W1 itself.
    vjp_without_first: Callable | None = None
    # False for the ops an RNN unrolls into (rnn_pre, lstm_*, mse_all): their shapes follow
    # the RNN's layout, so a `kind: "graph"` node may not name them.
    graph_op: bool = True
    # The output shape from the input shapes, for an op registered elsewhere (the RNN's, a
    # test's); the core ops' rules are in shapes.RULES.
    shape: Callable | None = None
    # Multiply-adds of one forward from (input shapes, output shape), where the default of
    # cost_model.op_work (one per number in and out) is far off (the RNN's cell ops).
    work: Callable | None = None

    @property
    def second_order(self):
        """Whether the op has the forward-mode rules a Hessian-vector product needs."""
        return self.jvp is not None and self.rvjp is not None


OPS: dict[str, Op] = {}


def register(op: Op) -> Op:
    OPS[op.name] = op
    return op


def graph_ops():
    """The ops a `kind: "graph"` node may name, by name."""
    return sorted((op for op in OPS.values() if op.graph_op), key=lambda o: o.name)


def unregister(name: str) -> None:
    """Remove an op (tests register deliberately broken ops and take them out again)."""
    OPS.pop(name, None)


def unbroadcast(grad, shape):
    """Sum `grad` down to `shape`, undoing numpy broadcasting (used by every binary rule)."""
    shape, grad = tuple(shape), np.asarray(grad)
    if grad.shape == shape:
        return grad
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# -- helpers for the forward-mode rules ---------------------------------------------------

def on(dot, fn):
    """fn(dot), or None (a zero tangent) when dot is None."""
    return None if dot is None else fn(dot)


def tangent_sum(shape, *terms):
    """The sum of the tangent terms that are present (None = 0), broadcast to `shape`."""
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    if total is None or np.shape(total) == tuple(shape):
        return total
    return np.broadcast_to(total, shape).copy()


def linear_rvjp(vjp):
    """rvjp of an op that is linear in its inputs (its vjp reads g only): the vjp of ġ."""
    def rvjp(g, g_dot, ans, ans_dot, inputs, dots, **attrs):
        if g_dot is None:
            return (None,) * len(inputs)
        return vjp(g_dot, ans, *inputs, **attrs)
    return rvjp


def bilinear_rvjp(vjp):
    """rvjp of an op bilinear in (A, B), whose A-gradient reads (g, B) and B-gradient (g, A).

    d(gA) = vjp_A(ġ, B) + vjp_A(g, Ḃ): the first terms are vjp(ġ; A, B), the second ones
    vjp(g; Ȧ, Ḃ) (which pairs g with Ḃ for A and with Ȧ for B).
    """
    def rvjp(g, g_dot, ans, ans_dot, inputs, dots, **attrs):
        A, B = inputs
        dA = np.zeros_like(A) if dots[0] is None else dots[0]
        dB = np.zeros_like(B) if dots[1] is None else dots[1]
        second = vjp(g, ans, dA, dB, **attrs)
        first = (None, None) if g_dot is None else vjp(g_dot, ans, A, B, **attrs)
        return tuple(None if d is None else tangent_sum(np.shape(x), f, s)
                     for d, x, f, s in zip(dots, inputs, first, second))
    return rvjp


def linear_jvp(fn):
    """jvp of an op that is linear in its inputs: the op applied to the tangents."""
    def jvp(dots, ans, *inputs, **attrs):
        filled = [np.zeros_like(x) if d is None else d for d, x in zip(dots, inputs)]
        return tangent_sum(np.shape(ans), fn(*filled, **attrs))
    return jvp


# -- linear algebra ---------------------------------------------------------------------

def _linear(a, W, b=None):
    z = a @ W.T
    return z if b is None else z + b


def _linear_vjp(g, ans, a, W, b=None):
    grads = (g @ W, g.T @ a)
    return grads if b is None else grads + (g.sum(axis=0),)


def _linear_vjp_without_first(g, ans, a, W, b=None):
    grads = (None, g.T @ a)
    return grads if b is None else grads + (g.sum(axis=0),)


def _linear_jvp(dots, ans, a, W, b=None):
    db = dots[2] if len(dots) > 2 else None
    return tangent_sum(ans.shape, on(dots[0], lambda t: t @ W.T),
                       on(dots[1], lambda t: a @ t.T), db)


def _linear_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """d(g W) = ġ W + g Ẇ;  d(gᵀ a) = ġᵀ a + gᵀ ȧ;  d(Σ g) = Σ ġ."""
    a, W = inputs[:2]
    da, dW = dots[:2]
    out = [None, None]
    if da is not None:
        out[0] = tangent_sum(a.shape, on(g_dot, lambda t: t @ W), on(dW, lambda t: g @ t))
    if dW is not None:
        out[1] = tangent_sum(W.shape, on(g_dot, lambda t: t.T @ a), g.T @ da if da is not None else None)
    if len(inputs) > 2:
        out.append(None if dots[2] is None else on(g_dot, lambda t: t.sum(axis=0)))
    return tuple(out)


register(Op("linear", _linear, _linear_vjp, (2, 3),
            doc="z = a Wᵀ + b, batch first: a (m, r_in), W (r_out, r_in), b (r_out,)",
            jvp=_linear_jvp, rvjp=_linear_rvjp, vjp_without_first=_linear_vjp_without_first))


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


register(Op("matmul", lambda A, B: A @ B, _matmul_vjp, 2, doc="A @ B",
            jvp=lambda dots, ans, A, B: tangent_sum(np.shape(ans), on(dots[0], lambda t: t @ B),
                                                    on(dots[1], lambda t: A @ t)),
            rvjp=bilinear_rvjp(_matmul_vjp)))


def _transpose_vjp(g, ans, A):
    return (np.transpose(g),)


register(Op("transpose", np.transpose, _transpose_vjp, 1, doc="Aᵀ (axes reversed)",
            jvp=linear_jvp(np.transpose), rvjp=linear_rvjp(_transpose_vjp)))

# -- elementwise arithmetic (numpy broadcasting) ----------------------------------------

def _add_vjp(g, ans, A, B):
    return unbroadcast(g, A.shape), unbroadcast(g, B.shape)


def _sub_vjp(g, ans, A, B):
    return unbroadcast(g, A.shape), unbroadcast(-g, B.shape)


def _mul_vjp(g, ans, A, B):
    return unbroadcast(g * B, A.shape), unbroadcast(g * A, B.shape)


register(Op("add", lambda A, B: A + B, _add_vjp, 2, doc="A + B (broadcasting)",
            jvp=linear_jvp(np.add), rvjp=linear_rvjp(_add_vjp)))
register(Op("sub", lambda A, B: A - B, _sub_vjp, 2, doc="A − B (broadcasting)",
            jvp=linear_jvp(np.subtract), rvjp=linear_rvjp(_sub_vjp)))
register(Op("mul", lambda A, B: A * B, _mul_vjp, 2, doc="A ⊙ B (elementwise, broadcasting)",
            jvp=lambda dots, ans, A, B: tangent_sum(ans.shape, on(dots[0], lambda t: t * B),
                                                    on(dots[1], lambda t: A * t)),
            rvjp=bilinear_rvjp(_mul_vjp)))


def _neg_vjp(g, ans, A):
    return (-g,)


register(Op("neg", np.negative, _neg_vjp, 1, doc="−A",
            jvp=linear_jvp(np.negative), rvjp=linear_rvjp(_neg_vjp)))


def _div_vjp(g, ans, A, B):
    return unbroadcast(g / B, A.shape), unbroadcast(-g * A / (B * B), B.shape)


def _div_jvp(dots, ans, A, B):
    return tangent_sum(ans.shape, on(dots[0], lambda t: t / B),
                       on(dots[1], lambda t: -A * t / (B * B)))


def _div_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """d(g/B) = ġ/B − g Ḃ/B²;  d(−gA/B²) = −ġA/B² − gȦ/B² + 2gAḂ/B³."""
    A, B = inputs
    dA, dB = dots
    gA = gB = None
    if dA is not None:
        # With B data (no tangent) and g not moving, A's gradient has a zero tangent: None.
        gA = tangent_sum(np.shape(ans), on(g_dot, lambda t: t / B),
                         on(dB, lambda t: -g * t / (B * B)))
        gA = None if gA is None else unbroadcast(gA, A.shape)
    if dB is not None:
        gB = unbroadcast(tangent_sum(np.shape(ans), on(g_dot, lambda t: -t * A / (B * B)),
                                     on(dA, lambda t: -g * t / (B * B)),
                                     2.0 * g * A * dB / (B * B * B)), B.shape)
    return gA, gB


register(Op("div", lambda A, B: A / B, _div_vjp, 2, doc="A / B (elementwise, broadcasting)",
            jvp=_div_jvp, rvjp=_div_rvjp))
register(Op("exp", np.exp, lambda g, ans, A: (g * ans,), 1, doc="exp(A)",
            jvp=lambda dots, ans, A: dots[0] * ans,
            rvjp=lambda g, g_dot, ans, ans_dot, inputs, dots: (
                tangent_sum(ans.shape, on(g_dot, lambda t: t * ans), g * ans_dot),)))
register(Op("log", np.log, lambda g, ans, A: (g / A,), 1, doc="log(A)",
            jvp=lambda dots, ans, A: dots[0] / A,
            rvjp=lambda g, g_dot, ans, ans_dot, inputs, dots: (
                tangent_sum(ans.shape, on(g_dot, lambda t: t / inputs[0]),
                            -g * dots[0] / (inputs[0] * inputs[0])),)))
register(Op("square", np.square, lambda g, ans, A: (2.0 * g * A,), 1, doc="A²",
            jvp=lambda dots, ans, A: 2.0 * A * dots[0],
            rvjp=lambda g, g_dot, ans, ans_dot, inputs, dots: (
                tangent_sum(ans.shape, on(g_dot, lambda t: 2.0 * t * inputs[0]), 2.0 * g * dots[0]),)))


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_vjp(g, ans, z):
    return (ans * (g - np.sum(g * ans, axis=-1, keepdims=True)),)


def _softmax_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """d[s ⊙ (g − ⟨g, s⟩)] = ṡ ⊙ (g − ⟨g, s⟩) + s ⊙ (ġ − ⟨ġ, s⟩ − ⟨g, ṡ⟩), per row."""
    inner = np.sum(g * ans, axis=-1, keepdims=True)
    g_dot = np.zeros_like(ans) if g_dot is None else g_dot
    row = np.sum(g_dot * ans + g * ans_dot, axis=-1, keepdims=True)
    return (ans_dot * (g - inner) + ans * (g_dot - row),)


register(Op("softmax", _softmax, _softmax_vjp, 1, doc="softmax over the last axis",
            jvp=lambda dots, ans, z: _softmax_vjp(dots[0], ans, z)[0],  # J is symmetric
            rvjp=_softmax_rvjp))

# -- reductions to a scalar ---------------------------------------------------------------


def _sum_vjp(g, ans, A):
    return (np.full(A.shape, g, dtype=np.float64),)


def _mean_vjp(g, ans, A):
    return (np.full(A.shape, g / max(A.size, 1), dtype=np.float64),)


register(Op("sum", lambda A: np.sum(A), _sum_vjp, 1, doc="Σ A (to a scalar)",
            jvp=lambda dots, ans, A: np.sum(dots[0]), rvjp=linear_rvjp(_sum_vjp)))
register(Op("mean", lambda A: np.mean(A), _mean_vjp, 1, doc="mean of A (to a scalar)",
            jvp=lambda dots, ans, A: np.mean(dots[0]), rvjp=linear_rvjp(_mean_vjp)))

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
            doc="out[:, j] = Σ_i x[:, j+i] w[i]; x (m, L), w (k,), stride 1, no padding",
            jvp=lambda dots, ans, x, w: tangent_sum(ans.shape, on(dots[0], lambda t: _conv1d(t, w)),
                                                    on(dots[1], lambda t: _conv1d(x, t))),
            rvjp=bilinear_rvjp(_conv1d_vjp)))
