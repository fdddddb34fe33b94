"""Minibatches: each epoch a permutation of the examples, reproducible from the seed."""

import numpy as np

from server.engine.data.minibatch import Minibatches


def _leaves(m=10):
    return {"a0": np.arange(m, dtype=float).reshape(m, 1), "y": np.arange(m, dtype=float) * 2,
            "w": np.ones(3)}  # "w" is not batch first (3 ≠ m): it stays whole


def test_an_epoch_visits_every_example_once_and_rows_stay_paired():
    batches = Minibatches(_leaves(), batch_size=5, seed=1)
    first, second = batches.next(), batches.next()
    seen = np.concatenate([first["a0"][:, 0], second["a0"][:, 0]])
    assert sorted(seen.tolist()) == list(range(10))
    for b in (first, second):
        np.testing.assert_array_equal(b["y"], 2 * b["a0"][:, 0])  # same rows of x and y
        np.testing.assert_array_equal(b["w"], np.ones(3))


def test_the_same_seed_gives_the_same_batches_and_a_batch_is_at_most_m():
    a, b = Minibatches(_leaves(), 3, seed=7), Minibatches(_leaves(), 3, seed=7)
    for _ in range(5):  # across an epoch boundary (10 = 3 + 3 + 3, then a new permutation)
        np.testing.assert_array_equal(a.next()["a0"], b.next()["a0"])
    assert Minibatches(_leaves(4), 100).next()["a0"].shape == (4, 1)
