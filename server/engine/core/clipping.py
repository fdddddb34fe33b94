"""Gradient clipping with the semantics of torch.nn.utils.clip_grad_norm_ / clip_grad_value_.

By norm: one global norm over all parameter gradients (2-norm, or the max of |g| for
"inf"); coef = max_norm / (total_norm + 1e-6); every gradient is scaled by coef when
coef < 1 — the direction is kept. By value: each entry is clamped to [−v, v] — the
direction generally changes.
"""

from dataclasses import dataclass

import numpy as np

from .errors import SpecError


CLIP_MODES = ("norm", "value")
# The norm types a request may name, and the float each means (2-norm, or the max of |g|).
NORM_TYPES = {2: 2.0, "2": 2.0, "inf": float("inf")}


@dataclass(frozen=True)
class Clip:
    mode: str                 # "norm" or "value"
    max_norm: float = 1.0
    norm_type: float = 2.0    # 2.0 or inf
    clip_value: float = 1.0


def parse_clip(raw, loc=("clip",)):
    """A Clip from the request's `clip` object (or None)."""
    if raw is None:
        return None
    mode = raw.get("mode")
    if mode == "norm":
        max_norm = _positive(raw.get("max_norm", 1.0), loc + ("max_norm",))
        norm_type = _norm_type(raw.get("norm_type", 2))
        if norm_type is None:
            raise SpecError(loc + ("norm_type",), f"must be 2 or \"inf\", got {raw['norm_type']!r}")
        return Clip("norm", max_norm=max_norm, norm_type=norm_type)
    if mode == "value":
        return Clip("value", clip_value=_positive(raw.get("clip_value", 1.0), loc + ("clip_value",)))
    raise SpecError(loc + ("mode",), "must be " + " or ".join(f'"{m}"' for m in CLIP_MODES)
                    + f", got {mode!r}")


def _norm_type(value):
    """The float a norm type means (NORM_TYPES, also 2.0, inf and "Infinity"), or None."""
    if value in ("inf", "Infinity", float("inf")):
        return float("inf")
    if value in (2, 2.0, "2"):
        return 2.0
    return None


def _positive(value, loc):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value <= 0:
        raise SpecError(loc, f"must be a positive finite number, got {value!r}")
    return float(value)


def total_norm(grads, norm_type=2.0):
    """The global norm of all gradients together (torch's total_norm)."""
    if not grads:
        return 0.0
    if norm_type == float("inf"):
        return float(max(np.max(np.abs(g)) if g.size else 0.0 for g in grads.values()))
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))


def clip_grads(grads, clip):
    """(clipped grads, report) for a dict of parameter gradients."""
    norm_type = clip.norm_type if clip.mode == "norm" else 2.0
    before = total_norm(grads, norm_type)
    if clip.mode == "norm":
        with np.errstate(all="ignore"):
            coef = clip.max_norm / (before + 1e-6)
        # coef is NaN when the norm is: torch then multiplies by NaN too.
        clipped = not coef >= 1.0
        out = {k: g * coef for k, g in grads.items()} if clipped else dict(grads)
    else:
        v = clip.clip_value
        out = {k: np.clip(g, -v, v) for k, g in grads.items()}
        clipped = any(bool(np.any(np.abs(g) > v)) for g in grads.values())
    report = {
        "mode": clip.mode,
        "norm_type": "inf" if norm_type == float("inf") else 2,
        "total_norm_before": before,
        "total_norm_after": total_norm(out, norm_type),
        "clipped": bool(clipped),
    }
    if clip.mode == "norm":
        report["max_norm"] = clip.max_norm
        report["coef"] = float(min(coef, 1.0)) if np.isfinite(coef) else float(coef)
    else:
        report["clip_value"] = clip.clip_value
    return out, report
