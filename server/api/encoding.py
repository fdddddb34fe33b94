"""Strict JSON (RFC 8259) for engine results: numpy arrays as nested lists, and non-finite
floats as the strings "NaN", "Infinity", "-Infinity" — with `"nonfinite": true` on the
answer whenever one was written. (Starlette's JSON refuses NaN, and a pydantic response
model would silently turn it into null; both would hide an exploding gradient.)

Encoded by orjson, which writes numpy arrays from C (OPT_SERIALIZE_NUMPY). orjson writes
every non-finite float as `null`, so: encode once; when the text holds no `null` at all
(the usual answer), nothing was non-finite and the text is final. Otherwise mend only the
parts whose text holds a null (non-finite numbers become the contract's strings), and encode
again.

A compute route sets `answer_limit` (BPV_MAX_ANSWER_BYTES): the answer's numbers are
counted before any text is built, and an answer that would pass the limit is refused with
422 naming the limit (an RNN with T = 5000 at full detail is ~400 MB of text).

An answer whose work was cut short by the request's budget (engine/budget.py) carries
`"stopped": {"reason": "time budget" | "client disconnected", "seconds": …}`.
"""

import contextvars
import math

import numpy as np
import orjson
from fastapi.responses import JSONResponse

from ..engine import LimitError
from ..engine.core import budget as request_budget

NONFINITE_STRINGS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
# Bytes of text per number, a generous mean: 17 significant digits, sign, exponent, comma.
BYTES_PER_NUMBER = 24
answer_limit: contextvars.ContextVar = contextvars.ContextVar("bpv_answer_limit", default=None)


def _other(obj):
    """orjson's fallback: what it does not write itself (0-d or strided arrays, numpy scalars)."""
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0 or obj.dtype.kind not in "biuf":
            return obj.tolist()
        return np.ascontiguousarray(obj, dtype=np.float64 if obj.dtype.kind == "f" else None)
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot write a {type(obj).__name__} as JSON")


def _nonfinite_string(f):
    return "NaN" if math.isnan(f) else ("Infinity" if f > 0 else "-Infinity")


class _Sanitizer:
    """A copy of an answer with its non-finite floats as strings (the slow path)."""

    def __init__(self):
        self.nonfinite = False

    def array(self, arr):
        if arr.dtype.kind not in "fc" or np.isfinite(arr).all():
            return arr
        self.nonfinite = True
        arr = arr.astype(np.float64, copy=False)
        out = arr.astype(object)
        out[np.isnan(arr)] = "NaN"
        out[arr == np.inf] = "Infinity"
        out[arr == -np.inf] = "-Infinity"
        return out.tolist()

    def value(self, obj):
        kind = type(obj)  # exact types first: a trace holds ~10⁵ ids, dicts and arrays
        if kind is str or kind is int or kind is bool or obj is None:
            return obj
        if kind is np.ndarray:
            return self.array(obj)
        if kind is dict:
            return {str(k): self.value(v) for k, v in obj.items()}
        if kind is list or kind is tuple:
            return [self.value(v) for v in obj]
        if isinstance(obj, (float, np.floating)):
            f = float(obj)
            if math.isfinite(f):
                return f
            self.nonfinite = True
            return _nonfinite_string(f)
        if isinstance(obj, dict):
            return {str(k): self.value(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.value(v) for v in obj]
        if isinstance(obj, np.ndarray):
            return self.array(np.asarray(obj))
        return obj


def to_strict_json(content):
    """(JSON-ready data, whether any non-finite number was written)."""
    sanitizer = _Sanitizer()
    data = sanitizer.value(content)
    return data, sanitizer.nonfinite


def count_numbers(obj):
    """How many numbers (and other scalars) an answer holds, without building any text."""
    kind = type(obj)
    if kind is np.ndarray:
        return obj.size
    if kind is dict or isinstance(obj, dict):  # an RNN's values are a dict subclass
        n, children = len(obj), obj.values()
    elif kind is list or kind is tuple:
        n, children = 0, obj
    else:
        return 1
    for v in children:  # scalars and arrays inline: a call per node was most of the time
        t = type(v)
        if t is np.ndarray:
            n += v.size
        elif t is dict or isinstance(v, dict):
            n += count_numbers(v)
        elif t is list or t is tuple:  # a list of scalars (ids, a shape) by its length
            n += count_numbers(v) if v and type(v[0]) in _NESTED else len(v)
        else:
            n += 1
    return n


_NESTED = (dict, list, tuple, np.ndarray)


def check_answer_size(content, limit):
    estimate = BYTES_PER_NUMBER * count_numbers(content)
    if estimate > limit:
        raise LimitError(("detail",), f"this answer would be about {estimate} bytes of JSON, over "
                         f"the limit of {limit} (BPV_MAX_ANSWER_BYTES); ask for detail "
                         "\"gradients\" (no per-node arrays) or \"summary\"",
                         "BPV_MAX_ANSWER_BYTES")


def _dumps(obj):
    return orjson.dumps(obj, default=_other, option=OPTIONS)


def has_null(text):
    """Whether the text holds `null`: a search from the first "n" (found by memchr), since a
    numeric text usually has none (bytes' own `in` takes ~0.6 ms per MB)."""
    first = text.find(b"n")
    return first >= 0 and text.find(b"null", first) >= 0


def _mend(obj, sanitizer):
    """`obj` with its non-finite numbers as strings, given that its text holds a null:
    re-encode each child and descend only into those whose text holds one too (genuine
    nulls, such as `"divergence": null`, usually sit near the top of an answer)."""
    kind = type(obj)
    if kind is dict:
        out = {}
        for k, v in obj.items():
            if v is None or type(v) in (str, int, bool):
                out[k] = v
            else:
                out[k] = _mend(v, sanitizer) if has_null(_dumps(v)) else v
        return out
    if kind is list or kind is tuple:
        return [_mend(v, sanitizer) if has_null(_dumps(v)) else v for v in obj]
    return sanitizer.value(obj)


def dumps_strict(content, text=None):
    """Strict JSON bytes of `content`, and whether a non-finite number was written (`text`:
    `content` already encoded by orjson, if the caller has it)."""
    text = _dumps(content) if text is None else text
    if not has_null(text):
        return text, False
    sanitizer = _Sanitizer()
    data = _mend(content, sanitizer)
    if not sanitizer.nonfinite:  # only genuine nulls: the first text was right
        return text, False
    return _dumps(data), True


class StrictJSONResponse(JSONResponse):  # JSONResponse: OpenAPI shows its model, not "string"
    """A JSON response that never fails on NaN or numpy values and flags non-finite numbers."""

    media_type = "application/json"

    def render(self, content) -> bytes:
        limit = answer_limit.get()
        if limit is not None:
            check_answer_size(content, limit)
        if isinstance(content, dict):
            content = {k: v for k, v in content.items() if k != "nonfinite"}
            stopped = request_budget.current().stopped
            if stopped is not None and "stopped" not in content:
                content["stopped"] = stopped  # the work was cut short: every answer says so
            return object_with_flag(content)
        return dumps_strict(content)[0]


def object_with_flag(content):
    """The strict text of a dict with `"nonfinite"` last (as the old encoder put it), each
    value encoded once (a genuine top-level null, e.g. `"first_nonfinite_value": null`, then
    costs no second encoding) and the pieces joined once (an RNN answer is megabytes)."""
    pieces, nonfinite = [b"{"], False
    for key, value in content.items():
        text = _dumps(value)
        if value is not None and has_null(text):
            text, mended = dumps_strict(value, text)
            nonfinite = nonfinite or mended
        pieces += (_dumps(str(key)), b":", text, b",")
    pieces.append(b'"nonfinite":true}' if nonfinite else b'"nonfinite":false}')
    return b"".join(pieces)
