"""One generic gradient checker for the engine's ops (float64, central differences).

For an op `ans = f(*inputs)` and its `vjp(g, ans, *inputs)`, pick random directions u (shaped
like ans) and v (shaped like one input) and compare

    ⟨u, J v⟩   — J v by a fourth-order central difference of f along v,
    ⟨Jᵀu, v⟩   — Jᵀu from the op's vjp,

which agree for every u, v exactly when the vjp is the transpose of the Jacobian (the
dot-product test of HIPS/autograd's `check_grads`). It never forms J, so it works for any
input and output shapes, including broadcasting and reductions to a scalar.
"""

import numpy as np

from server.engine.core.ops import OPS


def directional_derivative(fun, x, v, h=1e-4):
    """d/dt fun(x + t v) at t = 0 by the five-point stencil (error O(h⁴) + roundoff/h)."""
    f = lambda t: np.asarray(fun(x + t * v), dtype=np.float64)  # noqa: E731
    return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)


def check_vjp(forward, vjp, inputs, wrt=None, attrs=None, rng=None, n_dirs=3,
              h=1e-4, rtol=1e-7, label="op"):
    """Assert that `vjp` is the transpose of the Jacobian of `forward` at `inputs`.

    `wrt` lists the indices of the inputs to differentiate (default: all); the vjp must
    return an array shaped like each of them. Returns the list of (⟨u, Jv⟩, ⟨Jᵀu, v⟩)
    pairs it compared, so a caller can look at them.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    attrs = attrs or {}
    inputs = [np.array(x, dtype=np.float64) for x in inputs]
    saved = [x.copy() for x in inputs]
    wrt = range(len(inputs)) if wrt is None else wrt
    ans = forward(*inputs, **attrs)
    pairs = []
    for _ in range(n_dirs):
        u = rng.standard_normal(np.shape(ans))
        u = np.float64(u) if np.ndim(ans) == 0 else u
        grads = vjp(u, ans, *inputs, **attrs)
        assert len(grads) == len(inputs), f"{label}: vjp returned {len(grads)} grads for {len(inputs)} inputs"
        for i in wrt:
            gi = grads[i]
            assert gi is not None, f"{label}: no gradient for input {i}"
            assert np.shape(gi) == inputs[i].shape, (
                f"{label}: grad of input {i} has shape {np.shape(gi)}, input has {inputs[i].shape}")
            v = rng.standard_normal(inputs[i].shape)

            def along(xi, i=i):
                xs = list(inputs)
                xs[i] = xi
                return forward(*xs, **attrs)

            jv = directional_derivative(along, inputs[i], v, h)
            lhs = float(np.sum(u * jv))
            rhs = float(np.sum(np.asarray(gi) * v))
            # Scale: the size of the terms before they cancel, so a wrong rule (an O(1)
            # relative error in some entries) cannot hide under the tolerance.
            scale = float(np.sum(np.abs(u * jv)) + np.sum(np.abs(np.asarray(gi) * v)))
            assert abs(lhs - rhs) <= rtol * scale + 1e-13, (
                f"{label}: input {i}: <u, Jv> = {lhs!r} by finite differences but "
                f"<J^T u, v> = {rhs!r} by the vjp (|diff| = {abs(lhs - rhs):.3e}, scale {scale:.3e})")
            pairs.append((lhs, rhs))
    for x, s in zip(inputs, saved):
        assert np.array_equal(x, s), f"{label}: forward or vjp modified its inputs"
    return pairs


def check_jvp(forward, jvp, inputs, wrt=None, attrs=None, rng=None, h=1e-4, rtol=1e-7, label="op"):
    """Assert that `jvp(dots, ans, *inputs)` (one tangent per input, None for zero) is J v."""
    rng = rng if rng is not None else np.random.default_rng(0)
    attrs = attrs or {}
    inputs = [np.array(x, dtype=np.float64) for x in inputs]
    ans = forward(*inputs, **attrs)
    for i in (range(len(inputs)) if wrt is None else wrt):
        v = rng.standard_normal(inputs[i].shape)
        dots = tuple(v if j == i else None for j in range(len(inputs)))
        got = np.asarray(jvp(dots, ans, *inputs, **attrs), dtype=np.float64)

        def along(xi, i=i):
            xs = list(inputs)
            xs[i] = xi
            return forward(*xs, **attrs)

        want = directional_derivative(along, inputs[i], v, h)
        assert got.shape == np.shape(want), f"{label}: jvp shape {got.shape}, output {np.shape(want)}"
        tol = rtol * (np.abs(want).max(initial=0.0) + np.abs(got).max(initial=0.0)) + 1e-13
        assert np.abs(got - want).max(initial=0.0) <= tol, (
            f"{label}: jvp along input {i} differs from finite differences by "
            f"{np.abs(got - want).max():.3e}")


def check_op(name, inputs, wrt=None, attrs=None, rng=None, **kw):
    """`check_vjp` (and `check_jvp`, for an op that has forward mode) for the op `name`."""
    op = OPS[name]
    pairs = check_vjp(op.forward, op.vjp, inputs, wrt=wrt, attrs=attrs, rng=rng, label=name, **kw)
    if op.jvp is not None:
        check_jvp(op.forward, op.jvp, inputs, wrt=wrt, attrs=attrs, rng=rng, label=name, **kw)
    return pairs


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Random values with |x| in [low, high] and random signs (clear of a kink at 0)."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)
