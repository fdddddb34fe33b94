"""Issue 11's guards, timed: the body guard's depth scan (old regex against the linear scan,
on the issue's hostile body), and the cost model's estimates against measured seconds, which
size BPV_MAX_REQUEST_WORK (multiply-adds a second on this machine).

    .venv/bin/python bench/guards_and_cost.py
"""

import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.api.middleware import json_depth  # noqa: E402
from server.engine import build_model  # noqa: E402
from server.engine.core.cost_model import gradcheck_work, model_cost  # noqa: E402
from server.engine.analysis.gradcheck import gradcheck  # noqa: E402
from server.engine.analysis.hvp import top_eigenvalue  # noqa: E402

_OLD_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)  # the guard before issue 11


def _seconds(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def depth_scan():
    print("body guard: the issue's body, \" then \\\" × n (an unterminated string)")
    for n in (8_000, 16_000):
        body = b'"' + b'\\"' * n
        old = _seconds(lambda: _OLD_STRING.sub(b'""', body))
        print(f"  {len(body) / 1024:7.0f} KB  old regex {old:7.3f} s   linear scan "
              f"{_seconds(lambda: json_depth(body)) * 1e3:7.2f} ms")
    for n in (32_000, 500_000, 16 * 1024 * 1024):
        body = b'"' + b'\\"' * n
        print(f"  {len(body) / 1024:7.0f} KB  linear scan {_seconds(lambda: json_depth(body)) * 1e3:9.2f} ms")


def _run(spec, x, y):
    model = build_model(spec)
    return model, model.leaves_for(x, y)


def cost_against_time():
    print("cost model: estimated multiply-adds against seconds")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2000, 1000)), rng.normal(size=(2000, 1))
    model, leaves = _run({"kind": "mlp", "sizes": [1000, 1000, 1]}, x, y)
    cost = model_cost(model, leaves)
    model.loss_and_grads(leaves)
    t = min(_seconds(lambda: model.loss_and_grads(leaves)) for _ in range(3))
    print(f"  [1000,1000,1] m=2000, one forward+backward: {cost.work:.3g} madds in {t:.3f} s "
          f"= {cost.work / t:.3g} madds/s")
    t = _seconds(lambda: top_eigenvalue(model, leaves, iters=30))
    print(f"  the same, /eigen 30 iterations: estimate {cost.hvp(31):.3g} madds, {t:.2f} s "
          f"= {cost.hvp(31) / t:.3g} madds/s")
    for depth in (250, 500):
        model, leaves = _run({"kind": "mlp", "sizes": [1] * (depth + 1), "activation": "tanh"},
                             [[0.5]], [[0.1]])
        work = gradcheck_work(model, model_cost(model, leaves), 200, True)
        t = _seconds(lambda: gradcheck(model, leaves, max_entries=200))
        print(f"  width-1 MLP of {depth} layers, /gradcheck: estimate {work:.3g} madds, {t:.2f} s "
              f"= {work / t:.3g} madds/s")


if __name__ == "__main__":
    depth_scan()
    cost_against_time()
