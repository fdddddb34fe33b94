"""Strict JSON (RFC 8259) for engine results: numpy arrays as nested lists, and non-finite
floats as the strings "NaN", "Infinity", "-Infinity" — with `"nonfinite": true` on the
answer whenever one was written. (Starlette's JSON refuses NaN, and a pydantic response
model would silently turn it into null; both would hide an exploding gradient.)
"""

import json
import math

import numpy as np
from fastapi.responses import Response

NONFINITE_STRINGS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class _Encoder:
    def __init__(self):
        self.nonfinite = False

    def array(self, arr):
        arr = np.asarray(arr)
        if arr.dtype.kind in "biu":
            return arr.tolist()
        arr = arr.astype(np.float64, copy=False)
        finite = np.isfinite(arr)
        if finite.all():
            return arr.tolist()
        self.nonfinite = True
        out = arr.astype(object)
        out[np.isnan(arr)] = "NaN"
        out[arr == np.inf] = "Infinity"
        out[arr == -np.inf] = "-Infinity"
        return out.tolist()

    def value(self, obj):
        # Exact-type dispatch first: a trace holds ~10⁵ ids, dicts and arrays, and an
        # isinstance chain per object was most of the encoding time.
        kind = type(obj)
        if kind is str or kind is int or kind is bool or obj is None:
            return obj
        if kind is np.ndarray:
            return self.array(obj)
        if kind is dict:
            return {str(k): self.value(v) for k, v in obj.items()}
        if kind is list or kind is tuple:
            return [self.value(v) for v in obj]
        return self.other(obj)

    def other(self, obj):
        if isinstance(obj, dict):
            return {str(k): self.value(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.value(v) for v in obj]
        if isinstance(obj, np.ndarray):
            return self.array(obj)
        if isinstance(obj, (bool, np.bool_)):
            return bool(obj)
        if isinstance(obj, (float, np.floating)):
            f = float(obj)
            if math.isfinite(f):
                return f
            self.nonfinite = True
            return "NaN" if math.isnan(f) else ("Infinity" if f > 0 else "-Infinity")
        if isinstance(obj, np.integer):
            return int(obj)
        return obj


def to_strict_json(content):
    """(JSON-ready data, whether any non-finite number was written)."""
    enc = _Encoder()
    data = enc.value(content)
    return data, enc.nonfinite


class StrictJSONResponse(Response):
    """A JSON response that never fails on NaN or numpy values and flags non-finite numbers."""

    media_type = "application/json"

    def render(self, content) -> bytes:
        data, nonfinite = to_strict_json(content)
        if isinstance(data, dict):
            data["nonfinite"] = nonfinite
        return json.dumps(data, allow_nan=False, separators=(",", ":")).encode("utf-8")
