"""The floor for the RNN bench: hand-written numpy BPTT of the same nets (no engine code).

Written the way a careful numpy user would: the input projection x_t W_ihᵀ, the read-out and
the weight gradients are single matmuls over all steps; only the recurrence loops over t.
Shapes batch first, torch layout (see server/engine/kinds/rnn/build.py). Returns (f, {param: grad}).
"""

import numpy as np


def _loss(Yhat, Y, loss):
    """f and ∂f/∂ŷ (T, m, O); Y is (m, O) for mse_last and (m, T, O) for mse_all."""
    m = Yhat.shape[1]
    dY = np.zeros_like(Yhat)
    if loss == "mse_last":
        d = Yhat[-1] - Y
        dY[-1] = 2.0 / m * d
    else:
        d = Yhat - Y.transpose(1, 0, 2)
        dY[:] = 2.0 / m * d
    return np.sum(d * d) / m, dY


def _weight_grads(p, Xt, Hs, dZ, dY):
    T, m, _ = dZ.shape
    dZ2, dY2 = dZ.reshape(T * m, -1), dY.reshape(T * m, -1)
    H = Hs.shape[2]
    return {"W_ih": dZ2.T @ Xt.reshape(T * m, -1), "W_hh": dZ2.T @ Hs[:-1].reshape(T * m, H),
            "b_ih": dZ2.sum(0), "b_hh": dZ2.sum(0),
            "W_out": dY2.T @ Hs[1:].reshape(T * m, H), "b_out": dY2.sum(0)}


def rnn_tanh(p, X, Y, loss):
    """h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), ŷ_t = W_out h_t + b_out."""
    m, T, _ = X.shape
    H = p["W_hh"].shape[0]
    Xt = X.transpose(1, 0, 2)
    pre = Xt @ p["W_ih"].T + (p["b_ih"] + p["b_hh"])
    Hs = np.zeros((T + 1, m, H))
    W_hhT = p["W_hh"].T
    for t in range(T):
        Hs[t + 1] = np.tanh(pre[t] + Hs[t] @ W_hhT)
    Yhat = Hs[1:] @ p["W_out"].T + p["b_out"]
    f, dY = _loss(Yhat, Y, loss)
    E = dY @ p["W_out"]
    D = 1.0 - Hs[1:] ** 2
    dZ = np.empty((T, m, H))
    dh = E[-1]
    for t in range(T - 1, -1, -1):
        dZ[t] = dh * D[t]
        dh = dZ[t] @ p["W_hh"]
        if loss == "mse_all" and t > 0:
            dh += E[t - 1]
    return f, _weight_grads(p, Xt, Hs, dZ, dY)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm(p, X, Y, loss):
    """torch.nn.LSTM (gates i, f, g, o) + a linear read-out."""
    m, T, _ = X.shape
    H = p["W_hh"].shape[1]
    Xt = X.transpose(1, 0, 2)
    pre = Xt @ p["W_ih"].T + (p["b_ih"] + p["b_hh"])
    Hs, C = np.zeros((T + 1, m, H)), np.zeros((T + 1, m, H))
    I, F, G, O, TC = (np.empty((T, m, H)) for _ in range(5))
    W_hhT = p["W_hh"].T
    for t in range(T):
        z = pre[t] + Hs[t] @ W_hhT
        I[t], F[t], O[t] = _sigmoid(z[:, :H]), _sigmoid(z[:, H:2 * H]), _sigmoid(z[:, 3 * H:])
        G[t] = np.tanh(z[:, 2 * H:3 * H])
        C[t + 1] = F[t] * C[t] + I[t] * G[t]
        TC[t] = np.tanh(C[t + 1])
        Hs[t + 1] = O[t] * TC[t]
    Yhat = Hs[1:] @ p["W_out"].T + p["b_out"]
    f, dY = _loss(Yhat, Y, loss)
    E = dY @ p["W_out"]
    dZ = np.empty((T, m, 4 * H))
    dh, dc_next = E[-1], np.zeros((m, H))
    for t in range(T - 1, -1, -1):
        dc = dc_next + dh * O[t] * (1.0 - TC[t] ** 2)
        dZ[t, :, :H] = dc * G[t] * I[t] * (1.0 - I[t])
        dZ[t, :, H:2 * H] = dc * C[t] * F[t] * (1.0 - F[t])
        dZ[t, :, 2 * H:3 * H] = dc * I[t] * (1.0 - G[t] ** 2)
        dZ[t, :, 3 * H:] = dh * TC[t] * O[t] * (1.0 - O[t])
        dc_next = dc * F[t]
        dh = dZ[t] @ p["W_hh"]
        if loss == "mse_all" and t > 0:
            dh += E[t - 1]
    return f, _weight_grads(p, Xt, Hs, dZ, dY)
