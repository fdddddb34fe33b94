"""Seeded weight initialisation (the same seed always gives the same weights)."""

import numpy as np

INITS = ("xavier", "he", "normal")


def init_weight(rng, scheme, fan_out, fan_in):
    """A (fan_out, fan_in) matrix: xavier = Glorot uniform, he = Kaiming normal (fan in),
    normal = N(0, 1)."""
    if scheme == "xavier":
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, size=(fan_out, fan_in))
    if scheme == "he":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
    return rng.normal(0.0, 1.0, size=(fan_out, fan_in))
