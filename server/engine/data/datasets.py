"""Built-in toy datasets, generated from a seed (the same seed gives the same points).

2-D classification: xor, circles, moons, spirals, blobs (labels 0..k−1).
1-D regression: sine, step. Points are returned batch first: x (n, 2) or (n, 1).
"""

import numpy as np

from ..core.errors import SpecError

CLASSIFICATION = ("xor", "circles", "moons", "spirals", "blobs")
REGRESSION = ("sine", "step")
DESCRIPTIONS = {
    "xor": "four quadrants, opposite corners share a class",
    "circles": "a disc inside a ring",
    "moons": "two interleaved half moons",
    "spirals": "two interleaved spiral arms",
    "blobs": "gaussian blobs, one per class",
    "sine": "y = sin(πx) on [−1, 1], with noise",
    "step": "y = sign(x) on [−1, 1], with noise",
}


def _xor(rng, n, noise):
    x = rng.uniform(-1, 1, (n, 2))
    labels = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    return x + noise * rng.normal(size=x.shape), labels


def _circles(rng, n, noise):
    labels = rng.integers(0, 2, n)
    radius = np.where(labels == 1, rng.uniform(0.0, 0.45, n), rng.uniform(0.65, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return x + noise * rng.normal(size=x.shape), labels


def _moons(rng, n, noise):
    labels = rng.integers(0, 2, n)
    t = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where(labels[:, None] == 0, upper, lower)
    x = (x - [0.5, 0.25]) / 1.2  # centred, roughly inside [−1, 1]²
    return x + noise * rng.normal(size=x.shape), labels


def _spirals(rng, n, noise):
    labels = rng.integers(0, 2, n)
    r = rng.uniform(0.05, 1.0, n)
    angle = 1.75 * 2 * np.pi * r + np.pi * labels
    x = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
    return x + noise * rng.normal(size=x.shape), labels


def _blobs(rng, n, noise, classes=3):
    labels = rng.integers(0, classes, n)
    centres = 0.6 * np.stack([np.cos(2 * np.pi * np.arange(classes) / classes),
                              np.sin(2 * np.pi * np.arange(classes) / classes)], axis=1)
    return centres[labels] + (0.15 + noise) * rng.normal(size=(n, 2)), labels


def _sine(rng, n, noise):
    x = np.sort(rng.uniform(-1, 1, (n, 1)), axis=0)
    return x, np.sin(np.pi * x) + noise * rng.normal(size=x.shape)


def _step(rng, n, noise):
    x = np.sort(rng.uniform(-1, 1, (n, 1)), axis=0)
    return x, np.where(x > 0, 1.0, -1.0) + noise * rng.normal(size=x.shape)


GENERATORS = {"xor": _xor, "circles": _circles, "moons": _moons, "spirals": _spirals,
              "blobs": _blobs, "sine": _sine, "step": _step}


def make_dataset(name, n=200, noise=0.1, seed=0, classes=3):
    """{'x', 'y', 'labels'?, 'task', 'loss'}: y is shaped for the suggested loss.

    Two classes: y (n, 1) of 0/1 for "bce"; more (blobs): y the class indices for
    "cross_entropy". Regression: y (n, 1) for "mse".
    """
    if name not in GENERATORS:
        raise SpecError(("name",), f"unknown dataset {name!r}; known: " + ", ".join(GENERATORS))
    if not 1 <= n <= 100_000:
        raise SpecError(("n",), f"must be between 1 and 100000, got {n}")
    if not 0 <= noise <= 2:
        raise SpecError(("noise",), f"must be between 0 and 2, got {noise}")
    rng = np.random.default_rng(seed)
    if name == "blobs":
        if not 2 <= classes <= 10:
            raise SpecError(("classes",), f"must be between 2 and 10, got {classes}")
        x, labels = _blobs(rng, n, noise, classes)
    else:
        x, labels = GENERATORS[name](rng, n, noise)
    if name in REGRESSION:
        return {"name": name, "task": "regression", "loss": "mse", "x": x, "y": labels}
    k = int(classes if name == "blobs" else 2)
    y = labels.reshape(-1, 1).astype(np.float64) if k == 2 else labels
    return {"name": name, "task": "classification", "classes": k,
            "loss": "bce" if k == 2 else "cross_entropy", "x": x, "y": y, "labels": labels}
