"""Turning JSON-ish values into float64 arrays, with errors that name the field."""

import numpy as np

from .errors import SpecError


def as_array(value, loc, *, ndim=None, shape=None, allow_int_labels=False):
    """A finite float64 array from nested lists, or SpecError naming `loc`.

    `shape` may hold None for a free axis. `ndim` may be an int or a tuple of ints.
    """
    if isinstance(value, np.ndarray):
        arr = value.astype(np.float64, copy=False)
    else:
        if value is None:
            raise SpecError(loc, "is required (an array of numbers)")
        if isinstance(value, (str, bytes, dict)):
            raise SpecError(loc, f"expected an array of numbers, got {type(value).__name__}")
        ragged = SpecError(loc, "expected a rectangular array of numbers "
                                "(rows of equal length, no strings or nulls)")
        try:
            raw = np.asarray(value)
        except (ValueError, TypeError):
            raise ragged from None
        # float64 conversion would silently parse quoted numbers ("1.5") and turn null into
        # NaN: refuse both by name.
        if raw.dtype.kind in "USV" or (raw.dtype.kind == "O" and any(
                isinstance(v, (str, bytes)) for v in raw.flat)):
            raise SpecError(loc, "expected an array of numbers, found a string "
                                 "(numbers must not be quoted)")
        if raw.dtype.kind == "O" and any(v is None for v in raw.flat):
            raise SpecError(loc, "expected an array of numbers, found null")
        try:
            arr = raw.astype(np.float64, copy=False)
        except OverflowError:  # an integer literal beyond float64, e.g. 10**400
            raise SpecError(loc, "contains a number too large for float64 (non-finite); "
                                 "inputs must be finite") from None
        except (ValueError, TypeError):
            raise ragged from None
    if not np.isfinite(arr).all():
        raise SpecError(loc, "contains a non-finite number (NaN or Infinity); inputs must be finite")
    if ndim is not None:
        allowed = ndim if isinstance(ndim, tuple) else (ndim,)
        if arr.ndim not in allowed:
            want = " or ".join(f"{n}-D" for n in allowed)
            raise SpecError(loc, f"expected a {want} array, got shape {tuple(arr.shape)}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = "(" + ", ".join("m" if s is None else str(s) for s in shape) + ")"
            raise SpecError(loc, f"expected shape {want}, got {tuple(arr.shape)}")
    return arr
