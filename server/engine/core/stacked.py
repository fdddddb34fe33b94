"""A dict of node arrays whose per-step entries are views of arrays stacked over time.

An unrolled network (the RNN) has thousands of per-step nodes (x1..xT, h0..hT, …) whose
values are rows of a few arrays stacked over time. `Stacked` keeps those arrays beside the
entries, so a sweep reads them whole instead of re-stacking T small arrays, and a
finiteness check looks at each array once instead of at every entry.
"""

import itertools
import operator

import numpy as np

_BASE = operator.attrgetter("base")


class Stacked(dict):
    """{node id: array}; `stacked` keeps the arrays behind the per-step views (e.g. "Hs":
    h_0..h_T). A plain dict works wherever a Stacked does (see `stacked_array`)."""

    def __init__(self, entries=(), **stacked):
        super().__init__(entries)
        self.stacked = stacked
        self._deferred = []  # (ids, array): per-step entries not made yet

    def add_steps(self, ids, arr, now=True):
        """ids[t] -> arr[t] (views), now or, for a run that reads the stacked arrays only
        (the compact answer), when `make_views` is called (the arrays are in `stacked`)."""
        if now:
            self.update(zip(ids, arr))
        else:
            self._deferred.append((ids, arr))

    def make_views(self):
        """Make the deferred per-step entries (a no-op once made)."""
        for ids, arr in self._deferred:
            self.update(zip(ids, arr))
        self._deferred = []

    def all_finite(self):
        """Whether every entry is finite, checking the memory behind the views once each.

        True is exact; False may also mean "look entry by entry" (an owner array can hold
        more than the entries).
        """
        owners = set()
        for arr in [*self.stacked.values(), *(arr for _, arr in self._deferred)]:
            if isinstance(arr, np.ndarray):
                owner = arr if arr.base is None else arr.base
                if not np.isfinite(owner).all():
                    return False
                owners.add(id(owner))
        # Entries that are not views of a checked owner (params, y, the loss): ~10 of ~4,000,
        # picked out by C-level iteration (every entry is a numpy array or scalar).
        values = list(self.values())
        try:
            inside = map(owners.__contains__, map(id, map(_BASE, values)))
            rest = list(itertools.compress(values, map(operator.not_, inside)))
        except AttributeError:  # an entry that is not a numpy object
            rest = [v for v in values if id(getattr(v, "base", None)) not in owners]
        return all(np.isfinite(v).all() for v in rest)


def stacked_arrays(d):
    """The arrays kept beside a Stacked's entries ({} for a plain dict)."""
    return d.stacked if isinstance(d, Stacked) else {}


def stacked_array(d, key, ids):
    """The array stacked over time behind d[ids[0]], d[ids[1]], …"""
    arr = stacked_arrays(d).get(key)
    return arr if arr is not None else np.stack([d[i] for i in ids])
