"""Minibatches for stochastic gradient descent: a seeded permutation of the examples,
cycled epoch after epoch, kept between calls so a session's training continues where it
stopped (the same seed and calls give the same batches)."""

import numpy as np


class Minibatches:
    def __init__(self, data_leaves, batch_size, seed=0):
        self.leaves = data_leaves
        self.m = next(iter(data_leaves.values())).shape[0]
        self.batch_size = min(batch_size, self.m)
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(self.m)
        self.cursor = 0

    def _indices(self):
        if self.cursor + self.batch_size > self.m:  # a new epoch: a new permutation
            self.order = self.rng.permutation(self.m)
            self.cursor = 0
        idx = self.order[self.cursor:self.cursor + self.batch_size]
        self.cursor += self.batch_size
        return idx

    def next(self):
        """The data leaves of the next batch (every leaf whose first axis is the batch)."""
        idx = self._indices()
        return {k: (v[idx] if np.ndim(v) and v.shape[0] == self.m else v)
                for k, v in self.leaves.items()}
