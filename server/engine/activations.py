"""Elementwise activations b(z) and their derivatives b′(z), registered as ops.

Each activation's vjp is `g ⊙ b′(z)`: the lecture's Claim 2 applied one unit at a time.
At a kink the derivative is PyTorch's choice (relu′(0) = 0, leaky_relu′(0) = 0.01).
"""

import numpy as np

from .ops import Op, register

LEAKY_SLOPE = 0.01


def sigmoid(z):
    """1 / (1 + e^{−z}) without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


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
    register(Op(name, fn, vjp, 1, kind="activation", doc=FORMULAS[name][0]))


for _name in ACTIVATIONS:
    _register(_name)
