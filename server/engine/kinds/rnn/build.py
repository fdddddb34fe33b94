"""The recurrent network unrolled through time (`kind: "rnn"`) as a computation graph.

Vanilla cell (torch.nn.RNN + a linear read-out), t = 1..T, h_0 = 0:
    z_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh,   h_t = b(z_t),   ŷ_t = W_out h_t + b_out
LSTM cell (torch.nn.LSTM): z_t (m, 4H) stacks the gate pre-activations [i f g o];
    c_t = σ(z_f) ⊙ c_{t−1} + σ(z_i) ⊙ tanh(z_g),   h_t = σ(z_o) ⊙ tanh(c_t),   c_0 = 0.
f = mse_last: (1/m) Σ_k ‖ŷ_T(k) − y(k)‖²   or   mse_all: (1/m) Σ_k Σ_t ‖ŷ_t(k) − y(k, t)‖².

Node ids: x1..xT, h0..hT, z1..zT, c0..cT (LSTM), yhat1..yhatT, the parameters, y, loss.
W_hh is shared by every step: its gradient is the sum of one contribution per step.
The graph and its ops (ops.py) are the reference; sweeps.py runs the same computation on
arrays stacked over time (bptt.py), and owns truncated BPTT.
Parameters: init "torch" (the default) draws every weight and bias from U(−1/√H, 1/√H)
like torch.nn.RNN/LSTM/Linear(H, O); "xavier", "he", "normal" draw the weights as for the
MLP and set the biases to 0. `recurrent_spectral_norm: ρ` then rescales W_hh (each gate
block of the LSTM) to the largest singular value ρ.
"""

import functools

import numpy as np

from ...core.activations import ACTIVATIONS
from ...core.arrays import as_array
from ...core.errors import SpecError
from ...core.graph import Graph, Node
from ...core.init import INITS, init_weight
from ...core.spec import choice, positive_int, seed_of, seeded_params
from ...core.stacked import Stacked
from . import ops  # noqa: F401 - registers the recurrent ops the graph names

CELLS = ("rnn", "lstm")
LOSSES = ("mse_last", "mse_all")
RNN_INITS = ("torch",) + INITS
GATES = ("i", "f", "g", "o")


def normalise(spec):
    cell = choice(spec, "cell", CELLS, "rnn")
    out = dict(kind="rnn", cell=cell)
    for key, default in (("input_size", 1), ("hidden_size", 8), ("output_size", 1), ("steps", 10)):
        out[key] = positive_int(spec.get(key, default), ("network", key))
    if cell == "lstm":
        if spec.get("activation", "tanh") != "tanh":
            raise SpecError(("network", "activation"), "the LSTM's activations are fixed "
                            "(σ for the gates i, f, o, tanh for g and the cell); omit it or give 'tanh'")
        out["activation"] = "tanh"
    else:
        out["activation"] = choice(spec, "activation", tuple(ACTIVATIONS), "tanh")
    out["loss"] = choice(spec, "loss", LOSSES, "mse_last")
    k = spec.get("truncate")
    out["truncate"] = None if k is None else positive_int(k, ("network", "truncate"))
    out["recurrent_spectral_norm"] = _spectral_norm_of(spec)
    out["bias"] = bool(spec.get("bias", True))
    out["seed"] = seed_of(spec)
    out["init"] = choice(spec, "init", RNN_INITS, "torch")
    return out


def _spectral_norm_of(spec):
    rho = spec.get("recurrent_spectral_norm")
    if rho is None:
        return None
    if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not np.isfinite(rho) or rho < 0:
        raise SpecError(("network", "recurrent_spectral_norm"),
                        f"must be null or a finite number ≥ 0, got {rho!r}")
    return float(rho)


def gates(spec):
    return 4 if spec["cell"] == "lstm" else 1


def param_shapes(spec):
    I, H, O, G = spec["input_size"], spec["hidden_size"], spec["output_size"], gates(spec)
    shapes = {"W_ih": (G * H, I), "W_hh": (G * H, H)}
    if spec["bias"]:
        shapes.update(b_ih=(G * H,), b_hh=(G * H,))
    shapes["W_out"] = (O, H)
    if spec["bias"]:
        shapes["b_out"] = (O,)
    return shapes


def build(spec):
    """(Graph, params) for a normalised RNN spec (explicit params come from `spec.raw`)."""
    bound = 1.0 / np.sqrt(spec["hidden_size"])

    def draw(rng, name, shape):
        if spec["init"] == "torch":
            return rng.uniform(-bound, bound, size=shape)
        return init_weight(rng, spec["init"], *shape) if name[0] == "W" else np.zeros(shape)

    params = seeded_params(spec.raw, param_shapes(spec), spec["seed"], draw)
    if spec["recurrent_spectral_norm"] is not None:
        params["W_hh"] = rescale(params["W_hh"], spec["recurrent_spectral_norm"], gates(spec))
    return graph_of(spec), params


def values_per_example(spec):
    """Numbers one sequence holds across all nodes, a bound (the LSTM's gates and cells too)."""
    per_step = ((10 if spec["cell"] == "lstm" else 2) * spec["hidden_size"]
                + spec["input_size"] + spec["output_size"])
    return spec["steps"] * per_step


def rescale(W_hh, rho, G):
    """W_hh with each of its G row blocks (H, H) scaled to the largest singular value ρ."""
    H = W_hh.shape[1]
    out = np.empty_like(W_hh)
    for j in range(G):
        block = W_hh[j * H:(j + 1) * H]
        sigma = np.linalg.norm(block, 2)
        if sigma == 0.0:
            if rho == 0.0:
                out[j * H:(j + 1) * H] = 0.0
                continue
            what = "W_hh" if G == 1 else f"the gate block {GATES[j]!r} of W_hh"
            raise SpecError(("network", "recurrent_spectral_norm"),
                            f"{what} is zero and cannot be rescaled to the spectral norm {rho}")
        out[j * H:(j + 1) * H] = block * (rho / sigma)
    return out


def graph_of(spec):
    """The unrolled Graph; it depends on the structure only, so it is built once per structure
    (a Graph is read-only once built; T = 1000 is 4,000 nodes to check and order)."""
    return _graph(spec["steps"], spec["cell"], spec["activation"], spec["loss"], spec["bias"])


@functools.lru_cache(maxsize=32)
def _graph(T, cell, activation, loss, bias):
    spec = {"steps": T, "cell": cell, "activation": activation, "loss": loss, "bias": bias,
            "input_size": 1, "hidden_size": 1, "output_size": 1}  # sizes do not name nodes
    lstm = cell == "lstm"
    names = list(param_shapes(spec))
    nodes = [Node("h0", "input")] + ([Node("c0", "input")] if lstm else [])
    nodes += [Node(name, "param") for name in names]
    cell_params = tuple(n for n in names if n in ("W_ih", "W_hh", "b_ih", "b_hh"))
    out_params = tuple(n for n in names if n in ("W_out", "b_out"))
    for t in range(1, T + 1):
        nodes.append(Node(f"x{t}", "input"))
        nodes.append(Node(f"z{t}", "lstm_gates" if lstm else "rnn_pre",
                          (f"x{t}", f"h{t - 1}") + cell_params))
        if lstm:
            nodes.append(Node(f"c{t}", "lstm_c", (f"z{t}", f"c{t - 1}")))
            nodes.append(Node(f"h{t}", "lstm_h", (f"z{t}", f"c{t}")))
        else:
            nodes.append(Node(f"h{t}", spec["activation"], (f"z{t}",)))
        nodes.append(Node(f"yhat{t}", "linear", (f"h{t}",) + out_params))
    nodes.append(Node("y", "input"))
    if spec["loss"] == "mse_last":
        nodes.append(Node("loss", "mse", (f"yhat{T}", "y")))
    else:
        nodes.append(Node("loss", "mse_all", tuple(f"yhat{t}" for t in range(1, T + 1)) + ("y",)))
    return Graph(nodes, "loss")


def check_data(spec, x, y):
    """The leaves x1..xT (each (m, I)), h0 (and c0) = 0 and y, checked against the spec."""
    T, I, O, H = spec["steps"], spec["input_size"], spec["output_size"], spec["hidden_size"]
    x = as_array(x, ("x",), ndim=3)
    if x.shape[1:] != (T, I):
        raise SpecError(("x",), f"expected shape (m, {T}, {I}) = (batch, steps, input_size), "
                                f"got {tuple(x.shape)}")
    m = x.shape[0]
    if m == 0:
        raise SpecError(("x",), "needs at least one sequence (a batch of size m ≥ 1)")
    y = as_array(y, ("y",))
    want = (m, O) if spec["loss"] == "mse_last" else (m, T, O)
    if O == 1 and y.shape == want[:-1]:
        y = y.reshape(want)  # one output: the trailing axis of size 1 may be left out
    if y.shape != want:
        names = "(batch, output_size)" if len(want) == 2 else "(batch, steps, output_size)"
        raise SpecError(("y",), f"expected shape {want} = {names} for loss {spec['loss']!r}, "
                                f"got {tuple(y.shape)}")
    X = np.ascontiguousarray(x.transpose(1, 0, 2))
    leaves = Stacked(zip(step_ids("x", 1, T), X), X=X)
    leaves["h0"] = np.zeros((m, H))
    if spec["cell"] == "lstm":
        leaves["c0"] = np.zeros((m, H))
    leaves["y"] = y
    return leaves


@functools.lru_cache(maxsize=64)
def step_ids(prefix, first, T):
    """("x1", …, "xT") and the like, built once per length."""
    return tuple(f"{prefix}{t}" for t in range(first, T + 1))
