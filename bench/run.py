"""`make bench`: times the engine and the API and prints PASS/FAIL against the targets.

1. Engine forward+backward (`model.loss_and_grads`, the fastest public path) against a
   hand-written numpy forward/backward of the same network (the floor). Target ≤ 1.5×.
   The RNN/LSTM nets of bench/rnn.py (BPTT against bench/rnn_floor.py) are run here too.
   `backprop(model, leaves)` (the full recorded trace the page animates) is shown beside it.
2. A 2,000-step `model.train` of the 2-8-8-1 net: µs per step. Target < 150 µs
   (PyTorch eager on this machine).
3. Second order and graphs (bench/second_order_and_graphs.py): HVP / gradient (≤ 4×) and
   the graph engine's overhead per node on a 200-node graph (≤ 5 µs).
4. p50 latency of POST /api/v1/backprop over real HTTP, as a ratio to GET /healthz,
   against a uvicorn server started here on a free port. Target ≤ 3×. Then the RNN
   request of issue 3 (H = 32, T = 1000; bench/second_order_and_graphs.py).
5. Load (bench/load.py): the heaviest accepted request's seconds and peak RSS with /healthz
   p99 while it runs; the RNN T = 1000 answer (full and detail "gradients") against PyTorch
   or the numpy floor; 100 concurrent clients' p50/p99 for a classroom mix.

The bench measures; it never fails the build (exit 0). `--quick` shortens every part.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.engine import backprop, build_model  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import second_order_and_graphs as extra  # noqa: E402

FLOOR_RATIO_TARGET = 1.5
TRAIN_US_TARGET = 150.0
HTTP_RATIO_TARGET = 3.0


# -- the nets ---------------------------------------------------------------------------

def make_case(name, sizes, activation, loss, m, seed=0):
    rng = np.random.default_rng(seed + 1)
    x = rng.normal(size=(m, sizes[0]))
    if loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], size=m).astype(np.float64)
    else:
        y = rng.normal(size=(m, sizes[-1]))
    spec = {"kind": "mlp", "sizes": sizes, "activation": activation, "loss": loss,
            "seed": seed}
    return {"name": name, "spec": spec, "x": x, "y": y}


CASES = [
    lambda: make_case("2-8-8-1 tanh mse, m=256", [2, 8, 8, 1], "tanh", "mse", 256),
    lambda: make_case("784-256-256-10 relu CE, m=128", [784, 256, 256, 10], "relu",
                      "cross_entropy", 128),
    lambda: make_case("20×32 sigmoid mse, m=64", [32] * 20 + [1], "sigmoid", "mse", 64),
]


# -- the floor: a hand-written numpy forward/backward of the same MLP ---------------------

def act_and_grad(name):
    """(b, b′ in terms of (z, a)) for the hidden activation."""
    if name == "tanh":
        return np.tanh, lambda z, a: 1.0 - a * a
    if name == "relu":
        return lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(np.float64)
    if name == "sigmoid":
        return lambda z: 1.0 / (1.0 + np.exp(-z)), lambda z, a: a * (1.0 - a)
    raise ValueError(name)


def floor_loss_and_grads(Ws, bs, act, dact, loss, x, y):
    """Loss and grads of W_i, b_i; identity output, batch first z = a Wᵀ + b."""
    m = x.shape[0]
    a, acts, zs = x, [x], []
    d = len(Ws)
    for i in range(d):
        z = a @ Ws[i].T + bs[i]
        a = act(z) if i < d - 1 else z
        zs.append(z)
        acts.append(a)
    out = acts[-1]
    if loss == "mse":
        diff = out - y
        f = np.sum(diff * diff) / m
        dz = (2.0 / m) * diff
    else:  # cross entropy over class indices
        shifted = out - out.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        idx = y.astype(np.int64)
        f = -logp[np.arange(m), idx].sum() / m
        dz = np.exp(logp)
        dz[np.arange(m), idx] -= 1.0
        dz /= m
    gW, gb = [None] * d, [None] * d
    for i in range(d - 1, -1, -1):
        gW[i] = dz.T @ acts[i]
        gb[i] = dz.sum(axis=0)
        if i > 0:
            dz = (dz @ Ws[i]) * dact(zs[i - 1], acts[i])
    return f, gW, gb


def floor_for(model, case):
    d = len(case["spec"]["sizes"]) - 1
    Ws = [model.params[f"W{i}"] for i in range(1, d + 1)]
    bs = [model.params[f"b{i}"] for i in range(1, d + 1)]
    act, dact = act_and_grad(case["spec"]["activation"])
    loss, x, y = case["spec"]["loss"], case["x"], case["y"]
    if loss == "mse":
        y = y.reshape(x.shape[0], -1)
    return lambda: floor_loss_and_grads(Ws, bs, act, dact, loss, x, y), Ws, bs


# -- timing -------------------------------------------------------------------------------

def median_times(fns, budget, warmup=5, min_rounds=7, max_rounds=2000):
    """Median wall time of one call (s) of each fn, after warm-up.

    The fns are called in turn, round after round, for about `budget` seconds each, so
    that drift on a shared machine (frequency, neighbours) affects them all alike.
    """
    for fn in fns:
        for _ in range(warmup):
            fn()
    samples = [[] for _ in fns]
    deadline = time.perf_counter() + budget * len(fns)
    rounds = 0
    while rounds < max_rounds and (rounds < min_rounds or time.perf_counter() < deadline):
        for fn, out in zip(fns, samples):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        rounds += 1
    return [statistics.median(s) for s in samples]


def fmt_us(seconds):
    us = seconds * 1e6
    return f"{us:,.0f} µs" if us >= 100 else f"{us:,.1f} µs"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def bench_engine(budget):
    print("1. Engine forward+backward (median of warm calls) vs a hand-written numpy floor")
    head = f"   {'network':34} {'floor':>10} {'loss_and_grads':>15} {'ratio':>7} {'target':>7}  " \
           f"{'':4}  {'backprop trace':>15} {'ratio':>7}"
    print(head)
    print("   " + "-" * (len(head) - 3))
    results = []
    for make in CASES:
        case = make()
        model = build_model(case["spec"])
        leaves = model.leaves_for(case["x"].tolist(), case["y"].tolist())
        floor, Ws, bs = floor_for(model, case)
        # The floor must compute the same numbers, or the comparison means nothing.
        f_ref, gW, gb = floor()
        f_eng, grads = model.loss_and_grads(leaves)
        same = np.isclose(f_ref, f_eng, rtol=1e-9) and all(
            np.allclose(grads[f"W{i + 1}"], gW[i], rtol=1e-7, atol=1e-12)
            and np.allclose(grads[f"b{i + 1}"], gb[i], rtol=1e-7, atol=1e-12)
            for i in range(len(Ws)))
        t_floor, t_eng, t_trace = median_times(
            [floor, lambda: model.loss_and_grads(leaves), lambda: backprop(model, leaves)],
            budget)
        ratio = t_eng / t_floor
        ok = ratio <= FLOOR_RATIO_TARGET and same
        print(f"   {case['name']:34} {fmt_us(t_floor):>10} {fmt_us(t_eng):>15} {ratio:>6.2f}× "
              f"{'≤' + str(FLOOR_RATIO_TARGET) + '×':>7}  {verdict(ok):4}  "
              f"{fmt_us(t_trace):>15} {t_trace / t_floor:>6.2f}×"
              + ("" if same else "   (engine and floor DISAGREE)"))
        results.append(ok)
    return results


def profile_engine(top=12):
    """cProfile of `loss_and_grads` and of the recorded trace, per network (for --profile)."""
    import cProfile
    import pstats

    for make in CASES:
        case = make()
        model = build_model(case["spec"])
        leaves = model.leaves_for(case["x"].tolist(), case["y"].tolist())
        for label, fn in (("loss_and_grads", lambda: model.loss_and_grads(leaves)),
                          ("backprop trace", lambda: backprop(model, leaves))):
            n = max(5, int(0.5 / median_times([fn], 0.05)[0]))
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(n):
                fn()
            prof.disable()
            print(f"\n--- profile: {case['name']}, {label}, {n} calls (times are totals) ---")
            pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(top)


def bench_rnn(budget):
    """The kind "rnn" nets of bench/rnn.py (BPTT against a hand-written numpy floor)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import rnn
    except ImportError as exc:  # the RNN bench is optional
        print(f"\n   (RNN bench skipped: {exc})")
        return []
    print(f"\n   RNN/LSTM, unrolled (bench/rnn.py)")
    results = []
    for r in rnn.run(budget):
        print(f"   {r['name']:34} {fmt_us(r['floor_s']):>10} {fmt_us(r['loss_and_grads_s']):>15} "
              f"{r['ratio']:>6.2f}× {'≤' + str(rnn.TARGET) + '×':>7}  {verdict(r['ok']):4}  "
              f"{fmt_us(r['backprop_s']):>15} {r['backprop_ratio']:>6.2f}×"
              + ("" if r["same"] else "   (engine and floor DISAGREE)"))
        results.append(r["ok"])
    return results


def floor_train(Ws, bs, act, dact, loss, x, y, steps, lr):
    Ws, bs = [W.copy() for W in Ws], [b.copy() for b in bs]
    losses = []
    for _ in range(steps):
        f, gW, gb = floor_loss_and_grads(Ws, bs, act, dact, loss, x, y)
        losses.append(f)
        Ws = [W - lr * g for W, g in zip(Ws, gW)]
        bs = [b - lr * g for b, g in zip(bs, gb)]
    return losses


def bench_train(steps, repeats):
    print(f"\n2. Training: model.train(leaves, {steps}, lr) on the 2-8-8-1 tanh net, m=256")
    case = CASES[0]()
    lr = 0.05
    per_step, per_step_floor = [], []
    for _ in range(repeats):
        model = build_model(case["spec"])
        leaves = model.leaves_for(case["x"].tolist(), case["y"].tolist())
        t0 = time.perf_counter()
        losses = model.train(leaves, steps, lr)[0]  # (losses, clip norms, …)
        per_step.append((time.perf_counter() - t0) / steps)
        act, dact = act_and_grad("tanh")
        model0 = build_model(case["spec"])
        Ws0 = [model0.params[f"W{i}"] for i in (1, 2, 3)]
        bs0 = [model0.params[f"b{i}"] for i in (1, 2, 3)]
        t0 = time.perf_counter()
        floor_losses = floor_train(Ws0, bs0, act, dact, "mse", case["x"], case["y"], steps, lr)
        per_step_floor.append((time.perf_counter() - t0) / steps)
    t, tf = statistics.median(per_step), statistics.median(per_step_floor)
    agree = np.allclose(losses, floor_losses, rtol=1e-6)
    ok = t * 1e6 < TRAIN_US_TARGET
    print(f"   engine {t * 1e6:,.1f} µs/step (target < {TRAIN_US_TARGET:.0f} µs)  {verdict(ok)}"
          f"   | hand-written numpy loop {tf * 1e6:,.1f} µs/step ({t / tf:.2f}×)"
          f"   | loss {losses[0]:.4f} → {losses[-1]:.4f}"
          + ("" if agree else "   (loss curves DISAGREE with the floor)"))
    return [ok]


# -- HTTP -------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port):
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc


def wait_healthy(client, proc, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if client.get("/healthz").status_code == 200:
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


def bench_http(n):
    import httpx

    print(f"\n4. HTTP: p50 of POST /api/v1/backprop (2-8-8-1, m=4) vs GET /healthz, "
          f"{n} requests each, keep-alive")
    body = {"network": {"kind": "mlp", "sizes": [2, 8, 8, 1], "activation": "tanh",
                        "loss": "mse", "seed": 0},
            "x": [[1, 2], [0.5, -1], [0, 0.25], [-2, 1]], "y": [[1], [0], [0.5], [-1]]}
    port = free_port()
    proc = start_server(port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10.0) as client:
            if not wait_healthy(client, proc):
                err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.poll() is not None else ""
                print("   SKIP: the server did not answer GET /healthz" + (f":\n{err}" if err else ""))
                return []
            r = client.post("/api/v1/backprop", json=body)
            if r.status_code != 200:
                print(f"   SKIP: POST /api/v1/backprop answered {r.status_code}: {r.text[:300]}")
                return []
            health = lambda: client.get("/healthz").raise_for_status()  # noqa: E731
            bp = lambda: client.post("/api/v1/backprop", json=body).raise_for_status()  # noqa: E731
            for _ in range(50):
                health()
                bp()
            # One of each in turn, so drift on a busy machine affects both alike.
            th, tb = median_times([health, bp], budget=0.0, warmup=0, min_rounds=n,
                                  max_rounds=n)
            ratio = tb / th
            ok = ratio <= HTTP_RATIO_TARGET
            print(f"   GET /healthz p50 {fmt_us(th)}   POST /api/v1/backprop p50 {fmt_us(tb)} "
                  f"({len(r.content):,} bytes)   ratio {ratio:.2f}× (target ≤ {HTTP_RATIO_TARGET:.0f}×)"
                  f"  {verdict(ok)}")
            return [ok, bench_rnn_http(client, max(10, n // 20))]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def bench_rnn_http(client, n):
    r = extra.rnn_http_rows(client, median_times, n)
    print(f"   RNN H=32, T=1000: detail \"gradients\" p50 {r['lean_s'] * 1e3:.1f} ms "
          f"({r['lean_bytes']:,} bytes; target ≤ {extra.RNN_HTTP_TARGET_S * 1e3:.0f} ms)  "
          f"{verdict(r['ok'])}\n   the full answer (every node's value and gradient) p50 "
          f"{r['full_s'] * 1e3:.1f} ms ({r['full_bytes']:,} bytes; for information)\n"
          f"   against the hand-written numpy floor of the same forward + backward "
          f"(bench/rnn_floor.py, {r['floor_s'] * 1e3:.1f} ms, timed in turn): \"gradients\" "
          f"{r['lean_ratio']:.2f}×, full {r['full_ratio']:.2f}× (for information: the targets, "
          f"≤ 1.5× and ≤ 3×, are against PyTorch's forward + backward, in section 5)")
    return r["ok"]


def bench_second_order_and_graphs(budget):
    print("\n3. Second order and graphs")
    h = extra.hvp_row(median_times, budget)
    ok_h = h["ratio"] <= h["target"]
    print(f"   {h['name']:40} gradient {fmt_us(h['base_s'])}  HVP {fmt_us(h['s'])}  "
          f"{h['ratio']:.2f}× (target ≤ {h['target']:.0f}×)  {verdict(ok_h)}")
    g = extra.graph_row(median_times, budget)
    ok_g = g["same"] and g["per_node_us"] <= g["target_us"]
    print(f"   {g['name']:40} hand-written {fmt_us(g['base_s'])}  engine {fmt_us(g['s'])}  "
          f"({g['ratio']:.2f}×): {g['per_node_us']:.2f} µs per node (target ≤ "
          f"{g['target_us']:.0f} µs)  {verdict(ok_g)}"
          + ("" if g["same"] else "   (engine and floor DISAGREE)"))
    return [ok_h, ok_g]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of each engine path")
    args = parser.parse_args(argv)
    budget, steps, repeats, n = (0.2, 200, 1, 80) if args.quick else (1.0, 2000, 3, 400)

    print(f"backprop-viz bench — numpy {np.__version__}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
          "(timings on a busy machine are noisy)"
          + (f", OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}"
             if "OPENBLAS_CORETYPE" in os.environ else "") + "\n")
    results = bench_engine(budget)
    results += bench_rnn(budget)
    results += bench_train(steps, repeats)
    results += bench_second_order_and_graphs(budget)
    if not args.skip_http:
        results += bench_http(n)
        results += load.run(median_times, args.quick)
    if args.profile:
        profile_engine()
    print(f"\n{sum(results)} of {len(results)} targets met (the bench never fails the build).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
