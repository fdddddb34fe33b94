"""Shape rules and work of the RNN's ops (see core/shapes.py and core/cost_model.py)."""

from ...core.shapes import ShapeProblem, size


def cell_pre(gates):
    def rule(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
        if len(x) != 2 or len(h) != 2 or x[0] != h[0]:
            raise ShapeProblem("needs x_t (m, I) and h_{t−1} (m, H)")
        G = W_hh[0] if len(W_hh) == 2 else None
        if (W_ih != (G, x[1]) or W_hh != (gates * h[1], h[1])
                or any(b is not None and b != (G,) for b in (b_ih, b_hh))):
            raise ShapeProblem(f"needs W_ih ({gates}H, I), W_hh ({gates}H, H), biases ({gates}H,)")
        return (x[0], G)
    return rule


def lstm_state(z, c):
    if len(z) != 2 or len(c) != 2 or z != (c[0], 4 * c[1]):
        raise ShapeProblem("needs z_t (m, 4H) and a cell state (m, H)")
    return c


def mse_all(*shapes):
    *yhats, y = shapes
    if len(y) != 3 or len(yhats) != y[1] or any(a != (y[0], y[2]) for a in yhats):
        raise ShapeProblem("needs ŷ_1 … ŷ_T, each (m, O), then y (m, T, O)")
    return ()


def cell_pre_work(in_shapes, out_shape):
    (m, i), (_, h) = in_shapes[0], in_shapes[1]
    return m * out_shape[1] * (i + h + 1)


def lstm_state_work(in_shapes, out_shape):
    return 10 * size(in_shapes[0])  # four gate nonlinearities and the products
