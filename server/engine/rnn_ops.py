"""The ops of an unrolled recurrent network (vanilla RNN and LSTM cells): forward and vjp side by side.

Batch first, torch's layout: x_t (m, I), h_t and c_t (m, H), W_ih (G·H, I), W_hh (G·H, H),
b_ih and b_hh (G·H,), with G = 1 for the vanilla cell and G = 4 for the LSTM, whose rows
stack the gate blocks i, f, g, o (torch.nn.LSTM):

    z_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh          rnn_pre / lstm_gates
    i, f, o = σ(z_i), σ(z_f), σ(z_o);  g = tanh(z_g)
    c_t = f ⊙ c_{t−1} + i ⊙ g                              lstm_c(z_t, c_{t−1})
    h_t = o ⊙ tanh(c_t)                                     lstm_h(z_t, c_t)

and the sequence loss `mse_all(ŷ_1, …, ŷ_T, y) = (1/m) Σ_t Σ_k ‖ŷ_t(k) − y(k, t)‖²`.
rnn_pre also carries the forward-mode rules (jvp, rvjp) that Hessian-vector products use.
"""

import numpy as np

from .ops import Op, on, register, tangent_sum


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


register(Op("rnn_pre", cell_pre, _cell_pre_vjp, (4, 6),
            doc="z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh (batch first: x W_ihᵀ + h W_hhᵀ + b)",
            jvp=_cell_pre_jvp, rvjp=_cell_pre_rvjp))
register(Op("lstm_gates", cell_pre, _cell_pre_vjp, (4, 6),
            doc="z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh: the 4H gate pre-activations [i f g o]",
            jvp=_cell_pre_jvp, rvjp=_cell_pre_rvjp))


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
    gg[...] = gc * i * (1.0 - g * g)
    return gz, gc * f


def _lstm_h(z, c):
    H = z.shape[-1] // 4
    return sigmoid(z[..., 3 * H:]) * np.tanh(c)


def _lstm_h_vjp(gh, ans, z, c):
    H = z.shape[-1] // 4
    o, tc = sigmoid(z[..., 3 * H:]), np.tanh(c)
    gz = np.zeros_like(z)
    gz[..., 3 * H:] = gh * tc * (o * (1.0 - o))
    return gz, gh * o * (1.0 - tc * tc)


register(Op("lstm_c", _lstm_c, _lstm_c_vjp, 2,
            doc="c_t = σ(z_f) ⊙ c_{t−1} + σ(z_i) ⊙ tanh(z_g)"))
register(Op("lstm_h", _lstm_h, _lstm_h_vjp, 2, doc="h_t = σ(z_o) ⊙ tanh(c_t)"))


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


register(Op("mse_all", _mse_all, _mse_all_vjp, AtLeast(2), kind="loss",
            doc="f = (1/m) Σ_t Σ_k ‖ŷ_t(k) − y(k, t)‖²; inputs ŷ_1 … ŷ_T, then y (m, T, O)"))
