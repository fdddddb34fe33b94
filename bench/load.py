"""Load rows of `make bench` (issue 11): the server under its heaviest accepted request and
under a class, against a real server on loopback (its sessions in a temp dir).

1. The heaviest accepted request — a /train of [1000, 1000, 1] with m = 2000 (issue 11's
   33-minute request), as many steps as BPV_MAX_TRAIN_WORK accepts, stopped by the
   wall-clock budget (BPV_MAX_REQUEST_SECONDS, 30 s; 5 s with --quick, and m = 500): its seconds, the server's peak RSS, and /healthz and a static file's
   p99 while it runs.
2. The RNN H = 32, T = 1000 /backprop over HTTP, the full answer and detail "gradients",
   against PyTorch's forward + backward of the same RNN if torch imports, else against the
   hand-written numpy BPTT of bench/rnn_floor.py (the row says which). Targets ≤ 3× and
   ≤ 1.5×.
3. 100 concurrent loopback clients, each a student opening a scene: a preset session,
   forward, backward, step, a small /backprop, the page and two static files. p50 / p99 of
   every request. Each student is one keep-alive connection of rawhttp.py: with httpx the
   client process itself was the bottleneck (6 s of its CPU for 800 requests).

Run alone: `.venv/bin/python bench/load.py [--quick]`.
"""

import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "live"))

import rnn_floor  # noqa: E402
import second_order_and_graphs as extra  # noqa: E402
from liveserver import LiveServer  # noqa: E402
from rawhttp import Connection  # noqa: E402
from server.engine import build_model  # noqa: E402

RNN_FULL_TARGET, RNN_GRADIENTS_TARGET = 3.0, 1.5
HEALTH_P99_TARGET_S = 0.1


def p(values, q):
    """The q-th percentile (q in 1..99) of a list of seconds."""
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def peak_rss_mb(pid):
    """The process's peak resident set (VmHWM), in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _probe_while(client, path, running, out):
    while running.is_set():
        t0 = time.perf_counter()
        client.get(path).raise_for_status()
        out.append(time.perf_counter() - t0)
        time.sleep(0.01)


def heavy_row(server, client, quick):
    """Seconds and peak RSS of the heaviest accepted /train, and probes' p99 during it."""
    rng = np.random.default_rng(0)
    m, n_in = (500, 1000) if quick else (2000, 1000)
    body = {"network": {"kind": "mlp", "sizes": [n_in, 1000, 1], "activation": "tanh", "loss": "mse"},
            "x": rng.normal(size=(m, n_in)).round(2).tolist(), "y": rng.normal(size=(m, 1)).round(2).tolist()}
    r = client.post("/api/v1/sessions", json=body, timeout=120)
    if r.status_code != 201:
        return {"error": f"the session was refused: {r.status_code} {r.text[:200]}"}
    sid = r.json()["id"]
    running, health, static = threading.Event(), [], []
    running.set()
    probes = [threading.Thread(target=_probe_while, args=(client, path, running, out))
              for path, out in (("/healthz", health), ("/static/js/api.js", static))]
    for t in probes:  # probes during the refusals too: those answer at once anyway
        t.start()
    # The most steps the limits accept, within 2×: refusals (422) are answered before any
    # work, so halve from the step limit until one is accepted; that one runs.
    steps = 20000
    while True:
        t0 = time.perf_counter()
        answer = client.post(f"/api/v1/sessions/{sid}/train", json={"steps": steps, "lr": 0.001},
                             timeout=600)
        seconds = time.perf_counter() - t0
        if answer.status_code != 422 or steps == 1:
            break
        steps //= 2
    running.clear()
    for t in probes:
        t.join()
    a = answer.json()
    if answer.status_code != 200:
        return {"error": f"/train of {steps} steps answered {answer.status_code}: {answer.text[:300]}"}
    return {"m": m, "status": answer.status_code, "asked": steps, "seconds": seconds,
            "steps": a.get("step"), "stopped": a.get("stopped"), "rss_mb": peak_rss_mb(server.proc.pid),
            "health_p99": p(health, 99), "health_n": len(health), "static_p99": p(static, 99)}


def _torch_rnn_seconds(median_times, n):
    """PyTorch forward + backward of the same RNN (None when torch does not import)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_default_dtype(torch.float64)
    rnn, out = torch.nn.RNN(1, 32, batch_first=True), torch.nn.Linear(32, 1)
    x = torch.randn(1, 1000, 1)

    def step():
        rnn.zero_grad()
        out.zero_grad()
        h, _ = rnn(x)
        loss = ((out(h[:, -1]) - 0.5) ** 2).mean()
        loss.backward()

    return median_times([step], budget=1.0)[0]


def _floor_rnn_seconds(median_times):
    body = extra.rnn_request_body()
    model = build_model(body["network"])
    X, Y = np.array(body["x"]), np.array(body["y"])
    return median_times([lambda: rnn_floor.rnn_tanh(model.params, X, Y, "mse_last")], budget=1.0)[0]


def rnn_rows(client, median_times, n):
    r = extra.rnn_http_rows(client, median_times, n)
    torch_s = _torch_rnn_seconds(median_times, n)
    base, what = (torch_s, "PyTorch forward + backward") if torch_s is not None else (
        _floor_rnn_seconds(median_times), "the numpy floor (torch is not installed)")
    return {**r, "base_s": base, "base": what, "full_ratio": r["full_s"] / base,
            "lean_ratio": r["lean_s"] / base}


async def _student(conn, times, failures):
    small = {"network": {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh", "loss": "mse"},
             "x": [[0.5, -1.0]], "y": [[1.0]]}

    async def call(kind, method, path, json=None):
        t0 = time.perf_counter()
        try:
            status, body = await conn.request(method, path, json)
        except (ConnectionError, asyncio.IncompleteReadError) as e:
            failures.append(f"{kind} {type(e).__name__}")
            return None, b""
        times.setdefault(kind, []).append(time.perf_counter() - t0)
        if status >= 300:
            failures.append(f"{kind} {status}")
        return status, body

    await call("page", "GET", "/?preset=tanh-mlp")
    await call("static", "GET", "/static/js/api.js")
    await call("static", "GET", "/static/css/main.css")
    status, body = await call("create", "POST", "/api/v1/sessions", {"preset": "tanh-mlp"})
    if status != 201:
        return
    sid = orjson.loads(body)["id"]
    await call("forward", "POST", f"/api/v1/sessions/{sid}/forward", {})
    await call("backward", "POST", f"/api/v1/sessions/{sid}/backward", {})
    await call("step", "POST", f"/api/v1/sessions/{sid}/step", {"lr": 0.1})
    await call("backprop", "POST", "/api/v1/backprop", small)


async def _classroom(url, clients):
    host, port = url.split("//")[1].split(":")
    conns = [Connection(host, int(port)) for _ in range(clients)]
    times, failures = {}, []
    t0 = time.perf_counter()
    await asyncio.gather(*[_student(conn, times, failures) for conn in conns])
    wall = time.perf_counter() - t0
    for conn in conns:
        await conn.close()
    every = [t for ts in times.values() for t in ts]
    return {"clients": clients, "requests": len(every), "wall_s": wall, "p50": p(every, 50),
            "p99": p(every, 99), "failures": failures,
            "by_kind": {k: (p(v, 50), p(v, 99)) for k, v in times.items()}}


def classroom_row(url, clients=100):
    return asyncio.run(_classroom(url, clients))


def run(median_times, quick=False):
    """Print the three rows; returns the targets met (booleans)."""
    import httpx

    results = []
    print("\n5. Load (issue 11): a real server on loopback, sessions in a temp dir")
    with tempfile.TemporaryDirectory() as data, LiveServer(
            data, max_request_seconds=5 if quick else 30) as server, \
            httpx.Client(base_url=server.url, timeout=60) as client:
        h = heavy_row(server, client, quick)
        if "error" in h:
            print(f"   heaviest request: {h['error']}")
        else:
            ok = h["health_p99"] <= HEALTH_P99_TARGET_S
            print(f"   heaviest accepted request: /train of [1000,1000,1], m={h['m']}: "
                  f"{h['seconds']:.1f} s, {h['steps']} of {h['asked']} steps, stopped: {h['stopped']}, server "
                  f"peak RSS {h['rss_mb']:.0f} MB\n   while it ran: /healthz p99 "
                  f"{h['health_p99'] * 1e3:.1f} ms ({h['health_n']} requests; target ≤ "
                  f"{HEALTH_P99_TARGET_S * 1e3:.0f} ms), a static file p99 "
                  f"{h['static_p99'] * 1e3:.1f} ms  {'PASS' if ok else 'FAIL'}")
            results.append(ok)
        r = rnn_rows(client, median_times, 5 if quick else 20)
        ok_full, ok_lean = r["full_ratio"] <= RNN_FULL_TARGET, r["lean_ratio"] <= RNN_GRADIENTS_TARGET
        print(f"   RNN H=32, T=1000 /backprop against {r['base']} ({r['base_s'] * 1e3:.1f} ms):\n"
              f"     full answer p50 {r['full_s'] * 1e3:.1f} ms ({r['full_bytes']:,} bytes), "
              f"{r['full_ratio']:.1f}× (target ≤ {RNN_FULL_TARGET:.0f}×)  {'PASS' if ok_full else 'FAIL'}\n"
              f"     detail \"gradients\" p50 {r['lean_s'] * 1e3:.1f} ms ({r['lean_bytes']:,} bytes), "
              f"{r['lean_ratio']:.1f}× (target ≤ {RNN_GRADIENTS_TARGET}×)  {'PASS' if ok_lean else 'FAIL'}")
        results += [ok_full, ok_lean]
        c = classroom_row(server.url, 30 if quick else 100)
        kinds = ", ".join(f"{k} {a * 1e3:.0f}/{b * 1e3:.0f}" for k, (a, b) in c["by_kind"].items())
        print(f"   {c['clients']} concurrent clients, a classroom mix ({c['requests']} requests in "
              f"{c['wall_s']:.1f} s): p50 {c['p50'] * 1e3:.1f} ms, p99 {c['p99'] * 1e3:.1f} ms, "
              f"{len(c['failures'])} failures\n     p50/p99 ms by kind: {kinds}")
    return results


def main(argv=None):
    import run as bench

    quick = "--quick" in (argv if argv is not None else sys.argv[1:])
    run(bench.median_times, quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
