"""The ops of an unrolled recurrent network (vanilla RNN and LSTM cells): forward and vjp side by side.

Batch first, torch's layout: x_t (m, I), h_t and c_t (m, H), W_ih (G·H, I), W_hh (G·H, H),
b_ih and b_hh (G·H,), with G = 1 for the vanilla cell and G = 4 for the LSTM, whose rows
stack the gate blocks i, f, g, o (torch.nn.LSTM):

    z_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh          rnn_pre / lstm_gates
    i, f, o = σ(z_i), σ(z_f), σ(z_o);  g = tanh(z_g)
    c_t = f ⊙ c_{t−1} + i ⊙ g                              lstm_c(z_t, c_{t−1})
    h_t = o ⊙ tanh(c_t)                                     lstm_h(z_t, c_t)

and the sequence loss `mse_all(ŷ_1, …, ŷ_T, y) = (1/m) Σ_t Σ_k ‖ŷ_t(k) − y(k, t)‖²`.
Every op also carries its forward-mode rules (jvp, rvjp) for Hessian-vector products
(analysis/hvp.py); a dot is a tangent, None a zero tangent.
"""

import dataclasses

import numpy as np

from ...core.ops import Op, on, register, tangent_sum
from . import shapes


def internal(op):
    """Register an op the RNN unrolls into, which a `kind: "graph"` node may not name."""
    return register(dataclasses.replace(op, graph_op=False))


class AtLeast(tuple):
    """An arity of `n` or more inputs (a variadic op): `k in AtLeast(2)` for every k ≥ 2."""

    def __new__(cls, n):
        self = super().__new__(cls, (f"{n} or more",))
        self.n = n
        return self

    def __contains__(self, k):
        return isinstance(k, int) and k >= self.n


# -- the pre-activation of a step: z_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh ----------------

def cell_pre(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    """z_t, summed in the order the fast sweep uses: (x W_ihᵀ + (b_ih + b_hh)) + h W_hhᵀ."""
    z = x @ W_ih.T
    if b_ih is not None:
        z = z + (b_ih + b_hh)
    return z + h @ W_hh.T


def _cell_pre_vjp(g, ans, x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    grads = (g @ W_ih, g @ W_hh, g.T @ x, g.T @ h)
    if b_ih is None:
        return grads
    gb = g.sum(axis=0)
    return grads + (gb, gb)


def _cell_pre_jvp(dots, ans, x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    dx, dh, dW_ih, dW_hh = dots[:4]
    terms = [on(dx, lambda t: t @ W_ih.T), on(dW_ih, lambda t: x @ t.T),
             on(dh, lambda t: t @ W_hh.T), on(dW_hh, lambda t: h @ t.T)]
    return tangent_sum(ans.shape, *terms, *dots[4:])


def _cell_pre_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """Bilinear in (x, W_ih) and in (h, W_hh), linear in the biases."""
    x, h, W_ih, W_hh = inputs[:4]
    dx, dh, dW_ih, dW_hh = dots[:4]
    out = [None] * len(inputs)
    if dx is not None:
        out[0] = tangent_sum(x.shape, on(g_dot, lambda t: t @ W_ih), on(dW_ih, lambda t: g @ t))
    if dh is not None:
        out[1] = tangent_sum(h.shape, on(g_dot, lambda t: t @ W_hh), on(dW_hh, lambda t: g @ t))
    if dW_ih is not None:
        out[2] = tangent_sum(W_ih.shape, on(g_dot, lambda t: t.T @ x), on(dx, lambda t: g.T @ t))
    if dW_hh is not None:
        out[3] = tangent_sum(W_hh.shape, on(g_dot, lambda t: t.T @ h), on(dh, lambda t: g.T @ t))
    for j in range(4, len(inputs)):
        if dots[j] is not None:
            out[j] = tangent_sum(inputs[j].shape, on(g_dot, lambda t: t.sum(axis=0)))
    return tuple(out)


internal(Op("rnn_pre", cell_pre, _cell_pre_vjp, (4, 6),
            doc="z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh (batch first: x W_ihᵀ + h W_hhᵀ + b)",
            jvp=_cell_pre_jvp, rvjp=_cell_pre_rvjp, shape=shapes.cell_pre(1),
            work=shapes.cell_pre_work))
internal(Op("lstm_gates", cell_pre, _cell_pre_vjp, (4, 6),
            doc="z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh: the 4H gate pre-activations [i f g o]",
            jvp=_cell_pre_jvp, rvjp=_cell_pre_rvjp, shape=shapes.cell_pre(4),
            work=shapes.cell_pre_work))


# -- the LSTM cell -------------------------------------------------------------------------------

def sigmoid(z):
    """σ(z) = 1 / (1 + e^{−z}); accurate to a few ulps for every z (e^{−z} may overflow to inf)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def gate_activations(z):
    """[i f g o] = [σ(z_i) σ(z_f) tanh(z_g) σ(z_o)] for gate pre-activations z (…, 4H)."""
    H = z.shape[-1] // 4
    a = sigmoid(z)
    a[..., 2 * H:3 * H] = np.tanh(z[..., 2 * H:3 * H])
    return a


def _blocks(a):
    H = a.shape[-1] // 4
    return tuple(a[..., j * H:(j + 1) * H] for j in range(4))


def _lstm_c(z, c_prev):
    i, f, g, _ = _blocks(gate_activations(z))
    return f * c_prev + i * g


def _lstm_c_vjp(gc, ans, z, c_prev):
    i, f, g, _ = _blocks(gate_activations(z))
    gz = np.zeros_like(z)
    gi, gf, gg, _ = _blocks(gz)
    gi[...] = gc * g * (i * (1.0 - i))
    gf[...] = gc * c_prev * (f * (1.0 - f))
    gg[...] = gc * i * ((1.0 - g) * (1.0 + g))
    return gz, gc * f


def _lstm_h(z, c):
    H = z.shape[-1] // 4
    return sigmoid(z[..., 3 * H:]) * np.tanh(c)


def _lstm_h_vjp(gh, ans, z, c):
    H = z.shape[-1] // 4
    o, tc = sigmoid(z[..., 3 * H:]), np.tanh(c)
    gz = np.zeros_like(z)
    gz[..., 3 * H:] = gh * tc * (o * (1.0 - o))
    return gz, gh * o * ((1.0 - tc) * (1.0 + tc))


def _or_zeros(dot, like):
    return np.zeros_like(like) if dot is None else dot


def _lstm_c_jvp(dots, ans, z, c_prev):
    i, f, g, _ = _blocks(gate_activations(z))
    dzi, dzf, dzg, _ = _blocks(_or_zeros(dots[0], z))
    dc_prev = _or_zeros(dots[1], c_prev)
    return (f * (1.0 - f) * dzf * c_prev + f * dc_prev
            + i * (1.0 - i) * dzi * g + i * ((1.0 - g) * (1.0 + g)) * dzg)


def _lstm_c_rvjp(gc, gc_dot, ans, ans_dot, inputs, dots):
    """The tangents of gz_i = gc g i′, gz_f = gc c_{t−1} f′, gz_g = gc i g′ and gc f."""
    z, c_prev = inputs
    i, f, g, _ = _blocks(gate_activations(z))
    dzi, dzf, dzg, _ = _blocks(_or_zeros(dots[0], z))
    dc_prev, dgc = _or_zeros(dots[1], c_prev), _or_zeros(gc_dot, c_prev)
    di, df, dg = i * (1.0 - i), f * (1.0 - f), (1.0 - g) * (1.0 + g)  # σ′, σ′, tanh′
    out = [None, None]
    if dots[0] is not None:
        gz = np.zeros_like(z)
        gzi, gzf, gzg, _ = _blocks(gz)
        gzi[...] = dgc * g * di + gc * (dg * dzg) * di + gc * g * di * (1.0 - 2.0 * i) * dzi
        gzf[...] = dgc * c_prev * df + gc * dc_prev * df + gc * c_prev * df * (1.0 - 2.0 * f) * dzf
        gzg[...] = dgc * i * dg + gc * (di * dzi) * dg + gc * i * (-2.0 * g * dg) * dzg
        out[0] = gz
    if dots[1] is not None:
        out[1] = dgc * f + gc * df * dzf
    return tuple(out)


def _lstm_h_jvp(dots, ans, z, c):
    H = z.shape[-1] // 4
    o, tc = sigmoid(z[..., 3 * H:]), np.tanh(c)
    dzo = _or_zeros(dots[0], z)[..., 3 * H:]
    return o * (1.0 - o) * dzo * tc + o * ((1.0 - tc) * (1.0 + tc)) * _or_zeros(dots[1], c)


def _lstm_h_rvjp(gh, gh_dot, ans, ans_dot, inputs, dots):
    """The tangents of gz_o = gh tanh(c) o′ and gc = gh o tanh′(c)."""
    z, c = inputs
    H = z.shape[-1] // 4
    o, tc = sigmoid(z[..., 3 * H:]), np.tanh(c)
    do, dt = o * (1.0 - o), (1.0 - tc) * (1.0 + tc)
    dzo, dc, dgh = _or_zeros(dots[0], z)[..., 3 * H:], _or_zeros(dots[1], c), _or_zeros(gh_dot, c)
    out = [None, None]
    if dots[0] is not None:
        gz = np.zeros_like(z)
        gz[..., 3 * H:] = dgh * tc * do + gh * (dt * dc) * do + gh * tc * do * (1.0 - 2.0 * o) * dzo
        out[0] = gz
    if dots[1] is not None:
        out[1] = dgh * o * dt + gh * (do * dzo) * dt + gh * o * (-2.0 * tc * dt) * dc
    return tuple(out)


internal(Op("lstm_c", _lstm_c, _lstm_c_vjp, 2,
            doc="c_t = σ(z_f) ⊙ c_{t−1} + σ(z_i) ⊙ tanh(z_g)", jvp=_lstm_c_jvp, rvjp=_lstm_c_rvjp,
            shape=shapes.lstm_state, work=shapes.lstm_state_work))
internal(Op("lstm_h", _lstm_h, _lstm_h_vjp, 2, doc="h_t = σ(z_o) ⊙ tanh(c_t)",
            jvp=_lstm_h_jvp, rvjp=_lstm_h_rvjp, shape=shapes.lstm_state,
            work=shapes.lstm_state_work))


# -- the loss over every step --------------------------------------------------------------------

def _mse_all(*args):
    *yhats, y = args
    d = np.stack(yhats, axis=1) - y
    return np.sum(d * d) / y.shape[0]


def _mse_all_vjp(g, ans, *args):
    *yhats, y = args
    scale = 2.0 * g / y.shape[0]
    grads = [scale * (a - y[:, t]) for t, a in enumerate(yhats)]
    return (*grads, -np.stack(grads, axis=1))


def _diff_dots(yhats, dots):
    """The tangent of ŷ_t − y_t for each step (None where both are None)."""
    dy = dots[-1]
    return [tangent_sum(a.shape, da, None if dy is None else -dy[:, t])
            for t, (a, da) in enumerate(zip(yhats, dots[:-1]))]


def _mse_all_jvp(dots, ans, *args):
    *yhats, y = args
    total = sum(np.sum((a - y[:, t]) * d) for t, (a, d) in enumerate(zip(yhats, _diff_dots(yhats, dots)))
                if d is not None)
    return np.float64(2.0 / y.shape[0] * total)


def _mse_all_rvjp(g, g_dot, ans, ans_dot, inputs, dots):
    """d[(2g/m)(ŷ_t − y_t)] = (2/m)[ġ (ŷ_t − y_t) + g (ŷ̇_t − ẏ_t)]; y's is minus their stack."""
    *yhats, y = inputs
    scale = 2.0 / y.shape[0]
    gd = []
    for t, (a, d) in enumerate(zip(yhats, _diff_dots(yhats, dots))):
        term = tangent_sum(a.shape, on(g_dot, lambda s: s * (a - y[:, t])), on(d, lambda v: g * v))
        gd.append(None if term is None else scale * term)
    out = [x if dots[t] is not None else None for t, x in enumerate(gd)]
    if dots[-1] is None:
        return (*out, None)
    return (*out, -np.stack([np.zeros_like(a) if x is None else x for a, x in zip(yhats, gd)], axis=1))


internal(Op("mse_all", _mse_all, _mse_all_vjp, AtLeast(2), kind="loss",
            doc="f = (1/m) Σ_t Σ_k ‖ŷ_t(k) − y(k, t)‖²; inputs ŷ_1 … ŷ_T, then y (m, T, O)",
            jvp=_mse_all_jvp, rvjp=_mse_all_rvjp, shape=shapes.mse_all))
