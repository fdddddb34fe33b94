"""Elementwise activations b(z) and their derivatives b′(z), registered as ops.

Each activation's vjp is `g ⊙ b′(z)`: the lecture's Claim 2 applied one unit at a time.
At a kink the derivative is PyTorch's choice (relu′(0) = 0, leaky_relu′(0) = 0.01).
For Hessian-vector products, jvp is `ż ⊙ b′(z)` and rvjp `ġ ⊙ b′(z) + g ⊙ b″(z) ⊙ ż`
(b″ = 0 for the piecewise-linear ones).
"""

import numpy as np

from .ops import Op, register, tangent_sum

LEAKY_SLOPE = 0.01


def sigmoid(z):
    """1 / (1 + e^{−z}) without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    # One division, not two: the same numbers as 1/(1+e) for z ≥ 0 and e/(1+e) below.
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


# name -> (b, b′ written in terms of (z, a = b(z)))
ACTIVATIONS = {
    "identity": (lambda z: z, lambda z, a: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(np.float64)),
    "leaky_relu": (lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE)),
    "sigmoid": (sigmoid, lambda z, a: a * (1.0 - a)),
    # (1 − a)(1 + a), not 1 − a²: exact where tanh saturates (|z| ≳ 8), as torch computes it.
    "tanh": (np.tanh, lambda z, a: (1.0 - a) * (1.0 + a)),
    "softplus": (lambda z: np.logaddexp(0.0, z), lambda z, a: sigmoid(z)),
}

# name -> b″ in terms of (z, a = b(z)); None where b″ = 0 (piecewise linear)
SECOND_DERIVATIVES = {
    "identity": None,
    "relu": None,
    "leaky_relu": None,
    "sigmoid": lambda z, a: a * (1.0 - a) * (1.0 - 2.0 * a),
    "tanh": lambda z, a: -2.0 * a * (1.0 - a) * (1.0 + a),
    "softplus": lambda z, a: sigmoid(z) * (1.0 - sigmoid(z)),
}

# Formulas shown in the page and the docs.
FORMULAS = {
    "identity": ("b(z) = z", "b′(z) = 1"),
    "relu": ("b(z) = max(z, 0)", "b′(z) = 1 if z > 0 else 0"),
    "leaky_relu": ("b(z) = z if z > 0 else 0.01 z", "b′(z) = 1 if z > 0 else 0.01"),
    "sigmoid": ("b(z) = 1 / (1 + e^(−z))", "b′(z) = b(z) (1 − b(z))"),
    "tanh": ("b(z) = tanh z", "b′(z) = 1 − tanh² z"),
    "softplus": ("b(z) = log(1 + e^z)", "b′(z) = σ(z)"),
}


def derivative(name, z, a=None):
    """b′(z) for the activation `name` (a = b(z) may be passed to save work)."""
    fn, dfn = ACTIVATIONS[name]
    return dfn(z, fn(z) if a is None else a)


def _register(name):
    fn, dfn = ACTIVATIONS[name]
    if name == "identity":
        vjp = lambda g, ans, z: (g,)  # noqa: E731 - b′ = 1, skip the multiply
    else:
        vjp = lambda g, ans, z: (g * dfn(z, ans),)  # noqa: E731
    register(Op(name, fn, vjp, 1, kind="activation", doc=FORMULAS[name][0],
                jvp=lambda dots, ans, z: dots[0] * dfn(z, ans), rvjp=_rvjp_of(name)))


def _rvjp_of(name):
    """The tangent of g ⊙ b′(z): ġ ⊙ b′(z) + g ⊙ b″(z) ⊙ ż."""
    dfn, ddfn = ACTIVATIONS[name][1], SECOND_DERIVATIVES[name]

    def rvjp(g, g_dot, ans, ans_dot, inputs, dots):
        z, dz = inputs[0], dots[0]
        first = None if g_dot is None else g_dot * dfn(z, ans)
        second = None if ddfn is None or dz is None else g * ddfn(z, ans) * dz
        return (tangent_sum(np.shape(z), first, second),)
    return rvjp


for _name in ACTIVATIONS:
    _register(_name)
