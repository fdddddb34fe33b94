"""Small helpers shared by the network builders for reading and checking a spec dict."""

import numpy as np

from .arrays import as_array
from .errors import SpecError


def choice(spec, key, allowed, default):
    value = spec.get(key, default)
    if value not in allowed:
        raise SpecError(("network", key), f"unknown {key} {value!r}; allowed: "
                                          + ", ".join(map(str, allowed)))
    return value


def positive_int(value, loc):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise SpecError(loc, f"must be a positive integer, got {value!r}")
    return value


def seed_of(spec):
    seed = spec.get("seed", 0)
    if seed is None:
        seed = 0
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SpecError(("network", "seed"), f"must be a non-negative integer, got {seed!r}")
    return seed


def explicit_params(spec, expected_shapes):
    """The `params` the user gave, checked by name and shape (missing ones are None)."""
    given = spec.get("params") or {}
    if not isinstance(given, dict):
        raise SpecError(("network", "params"), "must be an object {name: array}")
    for name in given:
        if name not in expected_shapes:
            raise SpecError(("network", "params", name),
                            f"unknown parameter {name!r}; this network has: "
                            + ", ".join(expected_shapes))
    return {name: as_array(value, ("network", "params", name), shape=expected_shapes[name])
            for name, value in given.items()}


def seeded_params(raw_spec, shapes, seed, draw):
    """Every parameter: the user's value where given, else `draw(rng, name, shape)`.

    Every parameter is drawn even when given, so giving one leaves the others' init unchanged.
    """
    given = explicit_params(raw_spec, shapes)
    rng = np.random.default_rng(seed)
    params = {}
    for name, shape in shapes.items():
        drawn = draw(rng, name, shape)
        params[name] = given.get(name, drawn)
    return params
