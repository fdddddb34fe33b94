"""Fast forward and backward sweeps through time (BPTT) of the unrolled RNN and LSTM.

These compute exactly what the generic sweeps over the rnn graph compute (the ops of
ops.py; tests check both agree), but on arrays stacked over time, so each step
costs a few numpy calls and every per-step product with a shared weight that does not
feed the recurrence (x_t W_ihᵀ, ŷ_t = W_out h_t + b_out, ∂f/∂W = Σ_t dz_tᵀ a_{t−1}) is
one matmul over all steps.

Stacked arrays (time first): X (T, m, I), Z (T, m, G·H) (z_1..z_T), Hs and C (T+1, m, H)
(h_0..h_T, c_0..c_T), Yhat (T, m, O); dNAME is ∂f/∂NAME with the same layout.
E (T, m, H) holds the direct gradients e_t = (∂f/∂ŷ_t) W_out that the read-out sends
into h_t, the sources of BPTT: ∂f/∂h_t = e_t + (∂f/∂z_{t+1}) W_hh (vanilla cell).
"""

import numpy as np

from ...core.activations import ACTIVATIONS, derivative


def forward(spec, p, X, h0, c0=None):
    """The stacked states of one forward pass: {"Z", "Hs", ["C", "A"], "Yhat"}."""
    T, m, _ = X.shape
    pre = (X.reshape(T * m, -1) @ p["W_ih"].T).reshape(T, m, -1)
    if spec["bias"]:
        pre += p["b_ih"] + p["b_hh"]
    Z = np.empty_like(pre)
    Hs = np.empty((T + 1, m, spec["hidden_size"]))
    Hs[0] = h0
    W_hhT = p["W_hh"].T
    out = {"Z": Z, "Hs": Hs}
    if spec["cell"] == "lstm":
        out.update(_lstm_steps(pre, Z, Hs, W_hhT, c0))
    else:
        _rnn_steps(spec["activation"], pre, Z, Hs, W_hhT)
    out["Yhat"] = readout(spec, p, Hs[1:])
    return out


def step_views(*arrays):
    """Each array as a list of its per-step views, one axis less when the batch is one
    sequence: np.dot of a vector and a matrix is the very product numpy's matmul computes
    for a 1-row matrix (the same BLAS call), with a fraction of the per-call overhead."""
    if arrays[0].shape[1] == 1:
        return np.dot, [list(a[:, 0]) for a in arrays]
    return np.matmul, [list(a) for a in arrays]


def _rnn_steps(act, pre, Z, Hs, W_hhT):
    """z_t = h_{t−1} W_hhᵀ + (x_t W_ihᵀ + b), h_t = b(z_t), for t = 1..T, in place."""
    fn = ACTIVATIONS[act][0]
    product, (zs, pres, hs) = step_views(Z, pre, Hs)
    for z, p_t, h, h_next in zip(zs, pres, hs, hs[1:]):
        product(h, W_hhT, z)
        np.add(z, p_t, z)
        if act == "tanh":
            np.tanh(z, h_next)
        else:
            h_next[...] = fn(z)


def _lstm_steps(pre, Z, Hs, W_hhT, c0):
    T, m, H = Hs.shape[0] - 1, Hs.shape[1], Hs.shape[2]
    C = np.empty_like(Hs)
    C[0] = c0
    A = np.empty_like(Z)  # gate activations [i f g o]
    TC = np.empty((T, m, H))  # tanh(c_t)
    for t in range(T):
        z, a, c = Z[t], A[t], C[t + 1]
        np.matmul(Hs[t], W_hhT, out=z)
        z += pre[t]
        # gate_activations(z) in place: σ = 1 / (1 + e^{−z}) everywhere, then tanh on g
        np.negative(z, out=a)
        np.exp(a, out=a)
        a += 1.0
        np.reciprocal(a, out=a)
        np.tanh(z[:, 2 * H:3 * H], out=a[:, 2 * H:3 * H])
        np.multiply(a[:, H:2 * H], C[t], out=c)
        c += a[:, :H] * a[:, 2 * H:3 * H]
        np.tanh(c, out=TC[t])
        np.multiply(a[:, 3 * H:], TC[t], out=Hs[t + 1])
    return {"C": C, "A": A, "TC": TC}


def readout(spec, p, Hs1):
    """ŷ_t = W_out h_t + b_out for every step at once: (T, m, O)."""
    T, m, H = Hs1.shape
    Yhat = (Hs1.reshape(T * m, H) @ p["W_out"].T).reshape(T, m, -1)
    if spec["bias"]:
        Yhat += p["b_out"]
    return Yhat


def loss_and_dyhat(spec, Yhat, Y):
    """f and ∂f/∂ŷ_t (T, m, O); Y is (m, O) for mse_last, (T, m, O) for mse_all."""
    m = Yhat.shape[1]
    dY = np.zeros_like(Yhat)
    if spec["loss"] == "mse_last":
        d = Yhat[-1] - Y
        dY[-1] = (2.0 / m) * d
    else:
        d = Yhat - Y
        dY[...] = (2.0 / m) * d
    return np.sum(d * d) / m, dY


def sources(spec, p, dYhat):
    """e_t = (∂f/∂ŷ_t) W_out, the gradient the read-out sends into h_t: (T, m, H)."""
    T, m, O = dYhat.shape
    if spec["loss"] == "mse_last":
        E = np.zeros((T, m, p["W_out"].shape[1]))
        E[-1] = dYhat[-1] @ p["W_out"]
        return E
    return (dYhat.reshape(T * m, O) @ p["W_out"]).reshape(T, m, -1)


# -- full BPTT ---------------------------------------------------------------------------------

def activation_derivatives(spec, S):
    """b′(z_t) for all steps (T, m, H), or None for the identity (b′ = 1, no multiply)."""
    if spec["activation"] == "identity":
        return None
    D = S.get("D")
    return D if D is not None else derivative(spec["activation"], S["Z"], S["Hs"][1:])


def backward_full(spec, p, S, E):
    """∂f/∂h_t (t = 0..T), ∂f/∂z_t and, for the LSTM, ∂f/∂c_t: full backpropagation through time."""
    if spec["cell"] == "lstm":
        return _lstm_full(p, S, E, spec["loss"] == "mse_all")
    T, m, H = E.shape
    W_hh = p["W_hh"]
    D = activation_derivatives(spec, S)
    dH = np.empty((T + 1, m, H))
    dZ = dH[1:] if D is None else np.empty((T, m, H))
    dH[T] = E[T - 1]
    every = spec["loss"] == "mse_all"
    product, (dhs, dzs, es) = step_views(dH, dZ, E)
    ds = [None] * T if D is None else step_views(D)[1][0]
    for t in range(T, 0, -1):  # dz_t = dh_t ⊙ b′(z_t), dh_{t−1} = dz_t W_hh (+ e_{t−1})
        dz = dzs[t - 1]
        if D is not None:
            np.multiply(dhs[t], ds[t - 1], dz)
        product(dz, W_hh, dhs[t - 1])
        if every and t > 1:
            np.add(dhs[t - 1], es[t - 2], dhs[t - 1])
    return {"dH": dH, "dZ": dZ}


def lstm_factors(S):
    """Per-step factors of the LSTM's backward step, computed for all steps at once.

    With dc = ∂f/∂c_t (total) and dh = ∂f/∂h_t: ∂f/∂z_[i f g] = dc ⊙ MD[:, :, 0:3] and
    ∂f/∂z_o = dh ⊙ OD, where MD = [g i(1−i), c_{t−1} f(1−f), i (1−g²)], OD = tanh(c_t) o(1−o);
    dc = dc_carry + dh ⊙ P with P = o (1 − tanh² c_t); the carry to c_{t−1} is dc ⊙ f.
    """
    A, C, TC = S["A"], S["C"], S["TC"]
    T, m, H = TC.shape
    i, f, g, o = (A[..., j * H:(j + 1) * H] for j in range(4))
    MD = np.empty((T, m, 3, H))
    MD[:, :, 0] = g * i * (1.0 - i)
    MD[:, :, 1] = C[:-1] * f * (1.0 - f)
    MD[:, :, 2] = i * ((1.0 - g) * (1.0 + g))  # tanh′ = (1 − g)(1 + g): exact near saturation
    return {"MD": MD, "OD": TC * o * (1.0 - o), "P": o * ((1.0 - TC) * (1.0 + TC)),
            "F": np.ascontiguousarray(f)}


def _lstm_full(p, S, E, every):
    T, m, H = E.shape
    W_hh = p["W_hh"]
    K = lstm_factors(S)
    MD, OD, P, F = K["MD"], K["OD"], K["P"], K["F"]
    dH, dC = np.empty((T + 1, m, H)), np.empty((T + 1, m, H))
    dZ = np.empty((T, m, 4, H))
    dH[T] = E[T - 1]
    carry = np.zeros((m, H))  # ∂f/∂c_t through c_{t+1} only
    for t in range(T, 0, -1):
        dc = dC[t]
        np.multiply(dH[t], P[t - 1], out=dc)
        dc += carry
        np.multiply(dc[:, None, :], MD[t - 1], out=dZ[t - 1, :, :3])
        np.multiply(dH[t], OD[t - 1], out=dZ[t - 1, :, 3])
        np.multiply(dc, F[t - 1], out=carry)
        np.matmul(dZ[t - 1].reshape(m, 4 * H), W_hh, out=dH[t - 1])
        if every and t > 1:
            dH[t - 1] += E[t - 2]
    dC[0] = carry
    return {"dH": dH, "dZ": dZ.reshape(T, m, 4 * H), "dC": dC}


# -- truncated BPTT ------------------------------------------------------------------------------

def backward_truncated(spec, p, S, E, k):
    """Truncated BPTT: the gradient of the loss term at step t reaches steps t..t−k+1 only.

    Each loss term t keeps its own gradient state (rows state[t]). Walking back from h_T
    to h_0, the terms alive at h_s are t = s..s+k−1 (a slice), and one backward step moves
    them all at once ((n·m, G·H) @ (G·H, H)): O(T·k) work, vectorised per step. At h_s the
    term s is born with its source e_s, and the term s+k has left the slice (h_s is its
    detached state h_{t−k}, with c_s for the LSTM). A term with t ≤ k is not cut: its
    window reaches h_0, the initial state. Reported: the sum over the live terms.
    """
    T, m, H = E.shape
    first = 1 if spec["loss"] == "mse_all" else T  # the steps that carry a loss term
    step = _lstm_step(p, S) if spec["cell"] == "lstm" else _rnn_step(spec, p, S)
    state = [np.zeros((T + 1, m, H)) for _ in range(2 if spec["cell"] == "lstm" else 1)]
    dH, dZ = np.zeros((T + 1, m, H)), np.zeros((T, m, p["W_hh"].shape[0]))
    dC = np.zeros((T + 1, m, H)) if len(state) == 2 else None
    for s in range(T, 0, -1):
        if s >= first:
            state[0][s] = E[s - 1]
        lo, hi = max(s, first), min(T, s + k - 1) + 1  # the live terms
        if lo >= hi:
            continue
        dH[s] = state[0][lo:hi].sum(axis=0)
        new, dz, dc = step(s, [x[lo:hi] for x in state])
        dZ[s - 1] = dz.sum(axis=0)  # before the write-back: dz may be a view of the state
        if dC is not None:
            dC[s] = dc.sum(axis=0)
        for x, value in zip(state, new):
            x[lo:hi] = value
    lo, hi = first, min(T, k) + 1  # the terms whose window reaches h_0
    if lo < hi:
        dH[0] = state[0][lo:hi].sum(axis=0)
        if dC is not None:
            dC[0] = state[1][lo:hi].sum(axis=0)
    out = {"dH": dH, "dZ": dZ}
    if dC is not None:
        out["dC"] = dC
    return out


def sweep_work(spec, m):
    """Multiply-adds of the recurrent matmuls in one backward sweep (full or truncated):
    m·(G·H)·H per live term per step. Lets a caller refuse a huge truncated sweep first."""
    T, H, k = spec["steps"], spec["hidden_size"], spec["truncate"]
    per = m * (4 if spec["cell"] == "lstm" else 1) * H * H
    if k is None or k >= T:
        return T * per
    if spec["loss"] == "mse_last":
        return k * per
    return (k * (k + 1) // 2 + (T - k) * k) * per  # Σ_s min(T − s + 1, k)


def _rnn_step(spec, p, S):
    W_hh = p["W_hh"]
    D = activation_derivatives(spec, S)

    def step(t, state):
        dh = state[0]
        dz = dh if D is None else dh * D[t - 1]
        return [dz @ W_hh], dz, None
    return step


def _lstm_step(p, S):
    W_hh = p["W_hh"]
    K = lstm_factors(S)
    MD, OD, P, F = K["MD"], K["OD"], K["P"], K["F"]

    def step(t, state):
        dh, carry = state
        n, m, H = dh.shape
        dc = carry + dh * P[t - 1]
        dz = np.empty((n, m, 4, H))
        np.multiply(dc[:, :, None, :], MD[t - 1], out=dz[:, :, :3])
        np.multiply(dh, OD[t - 1], out=dz[:, :, 3])
        dz = dz.reshape(n, m, 4 * H)
        return [dz @ W_hh, dc * F[t - 1]], dz, dc
    return step


# -- parameter gradients ---------------------------------------------------------------------------

def param_grads(spec, p, X, S, dYhat, B):
    """∂f/∂θ for every parameter: each one matmul (or sum) over all steps at once."""
    T, m, GH = B["dZ"].shape
    dZ2 = B["dZ"].reshape(T * m, GH)
    Hs = S["Hs"]
    H = Hs.shape[2]
    grads = {"W_ih": dZ2.T @ X.reshape(T * m, -1),
             "W_hh": dZ2.T @ Hs[:-1].reshape(T * m, H),
             "W_out": dYhat.reshape(T * m, -1).T @ Hs[1:].reshape(T * m, H)}
    if spec["bias"]:
        grads["b_ih"] = dZ2.sum(axis=0)
        grads["b_hh"] = grads["b_ih"].copy()
        grads["b_out"] = dYhat.sum(axis=(0, 1))
    return grads


def contributions(spec, X, S, dYhat, B):
    """Each step's contribution to each parameter's gradient, stacked over time: {param: (T, …)}."""
    dZ, Hs = B["dZ"], S["Hs"]
    out = {"W_ih": _per_step_products(dZ, X), "W_hh": _per_step_products(dZ, Hs[:-1]),
           "W_out": _per_step_products(dYhat, Hs[1:])}
    if spec["bias"]:
        out["b_ih"] = dZ.sum(axis=1)
        out["b_hh"] = out["b_ih"].copy()
        out["b_out"] = dYhat.sum(axis=1)
    return out


def _per_step_products(A, B):
    """A[t]ᵀ B[t] for every t: (T, a, b) from A (T, m, a) and B (T, m, b).

    One sequence (m = 1) is an outer product per step: each entry is one product, so
    broadcasting gives exactly what the T small matmuls give (one BLAS call each), ~10× faster.
    """
    if A.shape[1] == 1:
        return A[:, 0, :, None] * B[:, 0, None, :]
    return A.transpose(0, 2, 1) @ B


def contribution_norms(spec, X, S, dYhat, B, chunk=128):
    """‖each step's contribution‖_F per parameter, {param: (T,)}, without the (T, …) arrays
    of the big ones: W_hh's (T·G·H·H numbers) `chunk` steps at a time, and the small ones
    (W_ih, W_out, the biases: one row per step) over all steps at once."""
    dZ, Hs = B["dZ"], S["Hs"]
    rows = chunk * dZ.shape[2] * Hs.shape[2]  # numbers held at once: W_hh's, `chunk` steps
    out = {"W_ih": _product_norms(dZ, X, rows), "W_hh": _product_norms(dZ, Hs[:-1], rows),
           "W_out": _product_norms(dYhat, Hs[1:], rows)}
    if spec["bias"]:
        out["b_ih"] = _row_norms(dZ.sum(axis=1))
        out["b_hh"] = out["b_ih"].copy()
        out["b_out"] = _row_norms(dYhat.sum(axis=1))
    return out


def _row_norms(arr):
    """The Frobenius norm of each arr[t]."""
    flat = arr.reshape(arr.shape[0], -1)
    return np.sqrt(np.einsum("ti,ti->t", flat, flat))


def _product_norms(A, B, rows):
    """‖A[t]ᵀ B[t]‖_F for every t, holding at most about `rows` numbers of the products."""
    T = A.shape[0]
    step = max(1, rows // (A.shape[2] * B.shape[2]))
    out = np.empty(T)
    for lo in range(0, T, step):
        out[lo:lo + step] = _row_norms(_per_step_products(A[lo:lo + step], B[lo:lo + step]))
    return out
