"""RNN bench: engine forward+backward of kind "rnn" against a hand-written numpy BPTT floor.

`run(budget)` returns one row (a dict) per net: median seconds of the floor
(bench/rnn_floor.py), of `model.loss_and_grads(leaves)` and of `backprop(model, leaves)`
(the full recorded trace; `backprop_lean_*`: without the per-step contribution arrays),
their ratios to the floor, whether engine and floor agree,
and `ok` (loss_and_grads ≤ TARGET × floor and they agree). Run it alone:
`.venv/bin/python bench/rnn.py [--quick]`.
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import rnn_floor  # noqa: E402
from server.engine import backprop, build_model  # noqa: E402

TARGET = 1.5
T, H, M, I, O = 1000, 32, 16, 4, 2


def cases():
    for cell in ("rnn", "lstm"):
        for loss in ("mse_all", "mse_last"):
            yield {"name": f"{cell} H={H} T={T} m={M} {loss}",
                   "floor": rnn_floor.lstm if cell == "lstm" else rnn_floor.rnn_tanh,
                   "spec": {"kind": "rnn", "cell": cell, "activation": "tanh", "loss": loss,
                            "input_size": I, "hidden_size": H, "output_size": O, "steps": T,
                            "seed": 0}}


def interleaved_medians(fns, budget, warmup=2, min_rounds=5):
    """Median seconds per call of each fn, calling them in turn so drift hits all alike."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    samples = [[] for _ in fns]
    deadline = time.perf_counter() + budget * len(fns)
    while len(samples[0]) < min_rounds or time.perf_counter() < deadline:
        for fn, out in zip(fns, samples):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return [statistics.median(s) for s in samples]


def run(budget=1.0):
    rows = []
    for case in cases():
        model = build_model(case["spec"])
        rng = np.random.default_rng(1)
        x = rng.normal(size=(M, T, I))
        y = rng.normal(size=(M, O) if case["spec"]["loss"] == "mse_last" else (M, T, O))
        leaves = model.leaves_for(x, y)
        floor = lambda: case["floor"](model.params, x, y, case["spec"]["loss"])  # noqa: E731
        f_ref, g_ref = floor()
        f_eng, g_eng = model.loss_and_grads(leaves)
        same = bool(np.isclose(f_ref, f_eng, rtol=1e-12)) and all(
            np.allclose(g_eng[n], g_ref[n], rtol=1e-10, atol=1e-14) for n in g_ref)
        t_floor, t_eng, t_trace, t_lean = interleaved_medians(
            [floor, lambda: model.loss_and_grads(leaves), lambda: backprop(model, leaves),
             lambda: backprop(model, leaves, contributions=False)], budget)
        rows.append({"name": case["name"], "floor_s": t_floor, "loss_and_grads_s": t_eng,
                     "backprop_s": t_trace, "ratio": t_eng / t_floor,
                     "backprop_ratio": t_trace / t_floor, "backprop_lean_s": t_lean,
                     "backprop_lean_ratio": t_lean / t_floor, "same": same,
                     "ok": same and t_eng / t_floor <= TARGET})
    return rows


def main(argv=None):
    quick = "--quick" in (argv if argv is not None else sys.argv[1:])
    print(f"RNN engine forward+backward vs hand-written numpy BPTT (target ≤ {TARGET}×)")
    for r in run(0.3 if quick else 2.0):
        print(f"  {r['name']:34} floor {r['floor_s'] * 1e3:7.2f} ms   loss_and_grads "
              f"{r['loss_and_grads_s'] * 1e3:7.2f} ms {r['ratio']:5.2f}×  "
              f"{'PASS' if r['ok'] else 'FAIL'}   backprop {r['backprop_s'] * 1e3:7.2f} ms "
              f"{r['backprop_ratio']:5.2f}× (without per-step contribution arrays "
              f"{r['backprop_lean_ratio']:4.2f}×)" + ("" if r["same"] else "  (engine and floor DISAGREE)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
