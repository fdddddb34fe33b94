"""`make bench` rows for issues 3 and 4, run from bench/run.py:

- HVP: one exact Hessian-vector product (forward-over-reverse) as a ratio to one gradient
  (`loss_and_grads`) on the 784-256-256-10 net. Target ≤ 4×.
- Graph engine: forward+backward (`loss_and_grads`) of a 200-node `kind: "graph"` network
  (50 residual blocks h ← h + tanh(h W_i), 16 wide, m = 32) against the same computation
  written by hand in numpy. The overhead is the difference per node; target ≤ 5 µs per
  node, i.e. ≤ 1 ms per sweep for the 200 nodes the page draws — invisible next to a
  frame. (On nodes this small the arithmetic itself is ~2 µs per block, so the ratio,
  printed beside, is about 2×.)
- RNN over HTTP: POST /api/v1/backprop for an RNN with H = 32, T = 1000 — the compact
  answer (`detail: "gradients"`) against the issue's 75 ms (3× PyTorch's nn.RNN
  forward+backward, about 25 ms here), and the full contract answer (every node's value and
  gradient, ~4 MB of JSON) beside it; both also as ratios to the numpy floor of the same
  forward + backward (bench/rnn_floor.py; targets ≤ 1.5× and ≤ 3×, issue 11).
"""

import numpy as np

from server.engine import build_model
from server.engine.analysis.hvp import hvp

HVP_TARGET = 4.0
GRAPH_OVERHEAD_TARGET_US = 5.0
RNN_HTTP_TARGET_S = 0.075
BLOCKS, WIDTH, M = 50, 16, 32


def hvp_row(median_times, budget):
    rng = np.random.default_rng(0)
    model = build_model({"kind": "mlp", "sizes": [784, 256, 256, 10], "activation": "relu",
                         "loss": "cross_entropy", "seed": 0})
    leaves = model.leaves_for(rng.normal(size=(128, 784)), rng.integers(0, 10, 128).astype(float))
    v = {k: rng.normal(size=p.shape) for k, p in model.params.items()}
    t_grad, t_hvp = median_times([lambda: model.loss_and_grads(leaves),
                                  lambda: hvp(model, leaves, v)], budget)
    return {"name": "HVP / gradient, 784-256-256-10, m=128", "base_s": t_grad, "s": t_hvp,
            "ratio": t_hvp / t_grad, "target": HVP_TARGET}


def residual_graph(seed=0):
    """200 nodes: 50 × (W_i, matmul, tanh, add), plus x, y and the loss."""
    rng = np.random.default_rng(seed)
    Ws = [rng.normal(scale=0.5 / np.sqrt(WIDTH), size=(WIDTH, WIDTH)) for _ in range(BLOCKS)]
    nodes = [{"id": "x", "op": "input", "shape": [M, WIDTH]}]
    h = "x"
    for i, W in enumerate(Ws):
        nodes += [{"id": f"W{i}", "op": "param", "value": W.tolist()},
                  {"id": f"m{i}", "op": "matmul", "inputs": [h, f"W{i}"]},
                  {"id": f"t{i}", "op": "tanh", "inputs": [f"m{i}"]},
                  {"id": f"h{i}", "op": "add", "inputs": [h, f"t{i}"]}]
        h = f"h{i}"
    nodes += [{"id": "y", "op": "input", "shape": [M, WIDTH]},
              {"id": "loss", "op": "mse", "inputs": [h, "y"]}]
    return {"kind": "graph", "output": "loss", "nodes": nodes}, Ws


def residual_floor(Ws, x, y):
    """The same network by hand: forward, then backward through every block."""
    hs, ts = [x], []
    for W in Ws:
        t = np.tanh(hs[-1] @ W)
        ts.append(t)
        hs.append(hs[-1] + t)
    diff = hs[-1] - y
    loss = np.sum(diff ** 2) / len(x)  # the contract's mse: (1/m) Σ_k ‖ŷ(k) − y(k)‖²
    g = 2.0 * diff / len(x)
    grads = [None] * len(Ws)
    for i in range(len(Ws) - 1, -1, -1):
        gm = g * (1.0 - ts[i] ** 2)
        grads[i] = hs[i].T @ gm
        g = g + gm @ Ws[i].T
    return loss, grads


def graph_row(median_times, budget):
    spec, Ws = residual_graph()
    model = build_model(spec)
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(M, WIDTH)), rng.normal(size=(M, WIDTH))
    leaves = model.leaves_from(None, None, {"x": x.tolist(), "y": y.tolist()})
    loss, grads = model.loss_and_grads(leaves)
    floor_loss, floor_grads = residual_floor(Ws, x, y)
    same = np.isclose(loss, floor_loss, rtol=1e-12) and all(
        np.allclose(grads[f"W{i}"], g, rtol=1e-10, atol=1e-300) for i, g in enumerate(floor_grads))
    t_floor, t_engine = median_times([lambda: residual_floor(Ws, x, y),
                                      lambda: model.loss_and_grads(leaves)], budget)
    return {"name": f"200-node graph, {BLOCKS} residual blocks", "base_s": t_floor, "s": t_engine,
            "ratio": t_engine / t_floor, "same": bool(same),
            "per_node_us": (t_engine - t_floor) / len(spec["nodes"]) * 1e6,
            "target_us": GRAPH_OVERHEAD_TARGET_US}


def rnn_request_body(detail=None):
    T = 1000
    x = np.round(np.random.default_rng(0).normal(size=(1, T, 1)), 6).tolist()
    body = {"network": {"kind": "rnn", "cell": "rnn", "input_size": 1, "hidden_size": 32,
                        "output_size": 1, "steps": T, "activation": "tanh", "loss": "mse_last",
                        "seed": 0}, "x": x, "y": [[0.5]]}
    if detail:
        body["detail"] = detail
    return body


def rnn_http_rows(client, median_times, n):
    """Medians of the RNN request over the bench's keep-alive client (compact and full), and
    of its floor (bench/rnn_floor.py: the same forward + backward in plain numpy, in this
    process), timed in turn so that drift on a busy machine affects all three alike."""
    import rnn_floor

    lean, full = rnn_request_body("gradients"), rnn_request_body()
    sizes = [len(client.post("/api/v1/backprop", json=b).raise_for_status().content)
             for b in (lean, full)]
    model = build_model(full["network"])
    X, Y = np.array(full["x"]), np.array(full["y"])
    t_lean, t_full, t_floor = median_times(
        [lambda: client.post("/api/v1/backprop", json=lean).raise_for_status(),
         lambda: client.post("/api/v1/backprop", json=full).raise_for_status(),
         lambda: rnn_floor.rnn_tanh(model.params, X, Y, "mse_last")],
        budget=0.0, warmup=2, min_rounds=n, max_rounds=n)
    return {"lean_s": t_lean, "full_s": t_full, "lean_bytes": sizes[0], "full_bytes": sizes[1],
            "floor_s": t_floor, "lean_ratio": t_lean / t_floor, "full_ratio": t_full / t_floor,
            "ok": t_lean <= RNN_HTTP_TARGET_S}
