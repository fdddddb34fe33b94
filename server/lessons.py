"""Each preset's lesson as a claim: the sentence a teacher says, and a check that measures it.

A claim is a list of measures, each a number with a bar it must clear ("≥ 95 %",
"< 10⁻³ of …"). `check(name, seed, perturbation)` rebuilds the preset with another network
seed and/or its initial parameters multiplied by (1 ± perturbation) — which stands in for
another machine's BLAS rounding: a lesson that flips under a relative 1e-9 is chaos, not a
lesson — and reports every measure, whether it holds, and its margin (how far inside the
bar it sits, as a factor). The lesson test runs every claim over seeds 0–4, perturbed and
not; the page asks for a check when a student changes a preset.
"""

from dataclasses import dataclass
import math

import numpy as np

from .engine import build_model, parse_clip
from .engine.analysis.hvp import full_hessian, top_eigenvalue
from .engine.analysis.nudge import nudge
from .engine.core.trace import backprop
from .presets import get_preset

# Per step back in time, a norm factor within ±2 % is "steady" (as the page labels it).
STEADY = 0.02
EXACT = 1e-12  # sums and closed forms: float64 agrees far below this


@dataclass(frozen=True)
class Measure:
    """One measured number of a claim and its bar: `value < bar` or `value > bar`."""
    name: str
    value: float
    sense: str  # "<" or ">"
    bar: float

    @property
    def holds(self) -> bool:
        # NaN never holds; +∞ clears a ">" bar (an overflow that the claim expects).
        return self.value < self.bar if self.sense == "<" else self.value > self.bar

    @property
    def margin(self) -> float:
        """How far inside the bar: bar / value for "<", value / bar for ">" (> 1 holds)."""
        if math.isnan(self.value):
            return 0.0
        num, den = (self.bar, self.value) if self.sense == "<" else (self.value, self.bar)
        if den == 0:
            return math.inf if num > 0 else 0.0
        return num / den

    def as_dict(self):
        return {"name": self.name, "value": self.value, "sense": self.sense, "bar": self.bar,
                "holds": self.holds, "margin": self.margin}


# --- building a preset's run, with another seed or perturbed initial parameters ---------------

def _perturbed_network(network, seed, perturbation, rng):
    """The preset's network with `seed`, its initial parameters scaled by (1 ± perturbation)."""
    spec = dict(network)
    if seed is not None:
        spec["seed"] = seed
    if not perturbation:
        return spec
    model = build_model(spec)
    if spec.get("kind") == "graph":
        values = model.params
        spec["nodes"] = [{**n, "value": _jitter(values[n["id"]], perturbation, rng).tolist()}
                         if n.get("op") == "param" else n for n in spec["nodes"]]
    else:
        spec["params"] = {k: _jitter(p, perturbation, rng).tolist()
                          for k, p in model.params.items()}
    return spec


def _jitter(array, relative, rng):
    array = np.asarray(array, dtype=float)
    return array * (1.0 + relative * rng.choice([-1.0, 1.0], size=array.shape))


class Run:
    """A preset rebuilt for one check: its networks (main, variants, compare) and data."""

    def __init__(self, preset, seed=None, perturbation=0.0):
        rng = np.random.default_rng(12345)
        self.preset = preset
        self.network = _perturbed_network(preset["network"], seed, perturbation, rng)
        self.variants = [{**v, "network": _perturbed_network(v["network"], seed, perturbation, rng)}
                         for v in preset.get("variants", [])]
        self.compare = (_perturbed_network(preset["compare"], seed, perturbation, rng)
                        if "compare" in preset else None)

    def model(self, network=None):
        model = build_model(network or self.network)
        p = self.preset
        return model, model.leaves_from(p.get("x"), p.get("y"), p.get("inputs"))

    def trace(self, network=None, clip=None):
        model, leaves = self.model(network)
        return backprop(model, leaves, parse_clip(clip))


def _norm(array):
    return float(np.linalg.norm(np.asarray(array, dtype=float)))


def _relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(_norm(b), 1e-300)
    return _norm(a - b) / scale


def factor_per_step_back(norms):
    """exp of minus the least-squares slope of log ‖∂f/∂h_t‖ over t (finite, positive points)."""
    points = [(t, math.log(n)) for t, n in enumerate(norms) if math.isfinite(n) and n > 0]
    if len(points) < 2:
        return math.nan
    ts, vs = np.array(points).T
    slope = np.polyfit(ts, vs, 1)[0]
    return math.exp(-slope)


# --- the claims ----------------------------------------------------------------------------------

def _why_backprop(run):
    model, leaves = run.model()
    deltas = 10.0 ** np.arange(-2.0, -4.01, -0.5)
    remainders = [abs(nudge(model, leaves, "W1", d, index=[0, 0], second_order=False)["remainder"])
                  for d in deltas]
    slope = float(np.polyfit(np.log(deltas), np.log(remainders), 1)[0])
    return [Measure("δ-sweep slope of |f(W+δ) − f(W) − ⟨∂f/∂W, δ⟩| (≥ 1.9)", slope, ">", 1.9),
            Measure("δ-sweep slope (≤ 2.1)", slope, "<", 2.1)]


def _linear_warmup(run):
    trace = run.trace()
    w = [float(np.ravel(trace["params"][f"W{i}"])[0]) for i in (1, 2, 3)]
    x, y = float(np.ravel(run.preset["x"])[0]), float(np.ravel(run.preset["y"])[0])
    g = 2 * (w[2] * w[1] * w[0] * x - y)  # ∂L/∂ŷ for L = (ŷ − y)²
    closed = [g * w[2] * w[1] * x, g * w[2] * w[0] * x, g * w[1] * w[0] * x]  # eq. (3)
    error = max(_relative_error(trace["param_grads"][f"W{i + 1}"], [[c]])
                for i, c in enumerate(closed))
    return [Measure("max relative difference of ∂L/∂w_i from the closed form (3)", error, "<", EXACT)]


def _tanh_mlp(run):
    model, leaves = run.model()
    lr = run.preset["lr"]
    before, grads, _ = model.gradient_step(leaves, lr)
    after, _ = model.loss_and_grads(leaves)
    predicted = lr * sum(float(np.sum(g * g)) for g in grads.values())
    return [Measure("f after one update / f before", after / before, "<", 1.0),
            Measure("decrease of f / first-order prediction η‖∂f/∂θ‖² (≥ 0.5)",
                    (before - after) / predicted, ">", 0.5)]


def _train(run, network, steps, lr, clip=None):
    model, leaves = run.model(network)
    losses, _, divergence = model.train(leaves, steps, lr, parse_clip(clip))
    final, _ = model.loss_and_grads(leaves)
    return model, leaves, losses, final, divergence


def _two_moons(run):
    model, leaves, _, _, _ = _train(run, run.network, run.preset["train_steps"], run.preset["lr"])
    d = len(run.network["sizes"]) - 1
    out = model.predict(leaves)[f"a{d}"][:, 0]
    labels = np.asarray(run.preset["y"], dtype=float)[:, 0]
    accuracy = float(np.mean((out > 0.5) == (labels > 0.5)))
    return [Measure(f"training accuracy after {run.preset['train_steps']} steps", accuracy, ">", 0.95)]


def _diverging(run):
    steps = run.preset["train_steps"]
    *_, final_big, divergence_big = _train(run, run.network, steps, run.preset["lr"])
    stable = run.preset["stable_lr"]
    *_, final_small, divergence_small = _train(run, run.network, steps, stable)
    first_bad = divergence_big["step"] if divergence_big else math.inf
    return [Measure(f"step of the first non-finite loss at η = {run.preset['lr']:g} "
                    f"(within {steps})", first_bad, "<", steps),
            Measure(f"final loss at η = {stable:g} (finite, below 1)",
                    final_small if divergence_small is None else math.inf, "<", 1.0)]


def _deep_sigmoid(run):
    grads = run.trace()["param_grads"]
    d = len(run.network["sizes"]) - 1
    ratio = _norm(grads["W1"]) / _norm(grads[f"W{d}"])
    return [Measure(f"‖∂f/∂W₁‖ / ‖∂f/∂W_{d}‖", ratio, "<", 1e-3)]


def _uses_sum(node, field):
    """Claim: `node`'s gradient is the sum of its uses (paths, or shared uses of a parameter)."""
    def check(run):
        trace = run.trace()
        uses = trace[field][node]
        total = sum(np.asarray(u["grad"], dtype=float) for u in uses)
        grad = trace["grads"][node]
        smallest = min(_norm(u["grad"]) for u in uses) / max(_norm(grad), 1e-300)
        return [Measure(f"uses of {node}", len(uses), ">", 1.5),
                Measure(f"relative difference of Σ uses from ∂f/∂{node}",
                        _relative_error(total, grad), "<", EXACT),
                Measure(f"the smallest use's share of ‖∂f/∂{node}‖ (every use matters)",
                        smallest, ">", 0.01)]
    return check


def _conv1d(run):
    trace = run.trace()
    patches = np.asarray(trace["patch_contributions"]["out"], dtype=float)
    grad = trace["param_grads"]["w"]
    return [Measure("patches", len(patches), ">", 1.5),
            Measure("relative difference of Σ patch terms from ∂f/∂w",
                    _relative_error(patches.sum(axis=0), grad), "<", EXACT)]


def _rnn_regime(sense):
    def check(run):
        trace = run.trace()
        norms, bound = trace["grad_norms_h"], trace["bound_h"]
        factor = factor_per_step_back(norms)
        # The bound is an inequality of norms computed two ways: allow rounding only.
        over = max(n / b for n, b in zip(norms, bound) if b > 0)
        bar = 1 - STEADY if sense == "<" else 1 + STEADY
        return [Measure("fitted factor of ‖∂f/∂h_t‖ per step back", factor, sense, bar),
                Measure("max over t of ‖∂f/∂h_t‖ / bound_t", over, "<", 1 + 1e-9)]
    return check


def _rnn_clipping(run):
    clip = run.preset["clip"]
    trace = run.trace(clip=clip)  # param_grads stay unclipped; the report has clip(g)
    report = trace["clipping"]
    grads, clipped = trace["param_grads"], report["clipped_grads"]
    g = np.concatenate([np.ravel(grads[k]) for k in grads])
    c = np.concatenate([np.ravel(clipped[k]) for k in grads])
    cosine = float(g @ c / (np.linalg.norm(g) * np.linalg.norm(c)))
    return [Measure("‖g‖ before / max_norm (clipping bites)",
                    report["total_norm_before"] / clip["max_norm"], ">", 1.0),
            Measure("cos ∠(g, clip(g)) (direction kept)", cosine, ">", 1 - 1e-12),
            Measure("‖clip(g)‖ / max_norm", report["total_norm_after"] / clip["max_norm"],
                    "<", 1 + 1e-6)]


def _rnn_truncated(run):
    trace = run.trace()
    distance = trace["truncation_relative_difference"]
    return [Measure("‖g_trunc − g_full‖ / ‖g_full‖ (the gradient moves)", distance, ">", 0.01),
            Measure("‖g_trunc − g_full‖ / ‖g_full‖ (but stays a descent direction, < 1)",
                    distance, "<", 1.0)]


def _first_to_last(trace):
    norms = trace["grad_norms_h"]
    return norms[1] / norms[-1]


def _lstm_vs_rnn(run):
    lstm = _first_to_last(run.trace())
    plain = _first_to_last(run.trace(run.compare))
    return [Measure("LSTM's ‖∂f/∂h₁‖/‖∂f/∂h_T‖ ÷ the RNN's", lstm / plain, ">", 100.0)]


def _remember_first(run):
    steps, lr = run.preset["train_steps"], run.preset["lr"]
    measures = []
    for variant in run.variants:
        model, leaves, losses, final, divergence = _train(run, variant["network"], steps, lr,
                                                          variant["clip"])
        start, name = losses[0], variant["name"]
        if variant["expect"] == "fails":
            ratio = math.inf if divergence is not None else final / start
            measures.append(Measure(f"{name}: final loss / start (overflows, or stays > ½)",
                                    ratio, ">", 0.5))
            continue
        T = variant["network"]["steps"]
        out = model.predict(leaves)[f"yhat{T}"][:, 0]
        target = np.asarray(run.preset["y"], dtype=float)[:, 0]
        accuracy = float(np.mean(np.sign(out) == np.sign(target)))
        measures += [Measure(f"{name}: final loss / start", final / start if divergence is None
                             else math.inf, "<", 0.02),
                     Measure(f"{name}: accuracy", accuracy, ">", 0.95)]
    return measures


def _hessian(run):
    model, leaves = run.model()
    eigenvalues = full_hessian(model, leaves)["eigenvalues"]
    exact = float(eigenvalues[np.argmax(np.abs(eigenvalues))])
    power, _ = top_eigenvalue(model, leaves, iters=run.preset["power_iterations"])
    return [Measure("|power iteration − exact λ_max| / |λ_max|",
                    abs(power - exact) / abs(exact), "<", 1e-6)]


CLAIMS = {
    "why-backprop": ("The change of f from a nudge δ is ⟨∂f/∂W, δ⟩ up to a remainder that "
                     "shrinks like δ²: on log–log axes its slope is 2 ± 0.1.", _why_backprop),
    "linear-warmup": ("Backprop's ∂L/∂w_i equals the closed form (3) to 1e-12.", _linear_warmup),
    "tanh-mlp": ("One gradient step at η = 0.1 lowers f, by at least half of what the "
                 "first-order prediction η‖∂f/∂θ‖² says.", _tanh_mlp),
    "two-moons": ("Gradient descent reaches ≥ 95 % training accuracy within its 1500 steps.",
                  _two_moons),
    "diverging": ("At η = 5 the loss turns non-finite within 300 steps; at η = 0.2 it stays "
                  "finite and below 1.", _diverging),
    "deep-sigmoid": ("The first layer's gradient is below 10⁻³ of the last layer's: "
                     "‖∂f/∂W₁‖ < 10⁻³ ‖∂f/∂W₁₀‖.", _deep_sigmoid),
    "skip-connection": ("∂f/∂x is the sum of its two paths (via z1 and via s) to 1e-12, and "
                        "each path carries at least 1 % of it.", _uses_sum("x", "branch_contributions")),
    "two-branches": ("∂f/∂u is the sum of its two branches (via p and via q) to 1e-12.",
                     _uses_sum("u", "branch_contributions")),
    "conv1d": ("The kernel's gradient is the sum of one term per patch, to 1e-12.", _conv1d),
    "tied-weights": ("∂f/∂W is the sum of the encoder's and the decoder's uses, to 1e-12.",
                     _uses_sum("W", "contributions")),
    "rnn-vanishing": ("‖∂f/∂h_t‖ shrinks going back in time (fitted factor per step < 0.98) "
                      "and stays under its bound at every t.", _rnn_regime("<")),
    "rnn-exploding": ("‖∂f/∂h_t‖ grows going back in time (fitted factor per step > 1.02) "
                      "and stays under its bound at every t.", _rnn_regime(">")),
    "rnn-clipping": ("The gradient's norm exceeds max_norm = 1, and clipping by norm rescales "
                     "it to 1 without turning it (cosine 1 to 1e-12).", _rnn_clipping),
    "rnn-truncated": ("Truncating at k = 5 moves the gradient by more than 1 % of its norm, "
                      "and by less than its whole norm.", _rnn_truncated),
    "lstm-vs-rnn": ("The LSTM's ‖∂f/∂h₁‖/‖∂f/∂h_T‖ is at least 100× the RNN's.", _lstm_vs_rnn),
    "remember-first": ("The plain RNN's loss overflows or stays above half its start; the same "
                       "RNN with norm clipping, and an LSTM clipped the same way, end below 2 % "
                       "of their start with ≥ 95 % accuracy.", _remember_first),
    "hessian": ("Power iteration on Hessian-vector products reaches the exact λ_max "
                "within a relative 1e-6.", _hessian),
}


def claim_text(name):
    return CLAIMS[name][0] if name in CLAIMS else None


def check(name, seed=None, perturbation=0.0):
    """The claim of preset `name` measured on a run with that seed / perturbation."""
    preset = get_preset(name)
    if preset is None or name not in CLAIMS:
        raise KeyError(name)
    text, measure = CLAIMS[name]
    with np.errstate(all="ignore"):
        measures = measure(Run(preset, seed, perturbation))
    return {"preset": name, "claim": text, "seed": seed, "perturbation": perturbation,
            "holds": all(m.holds for m in measures),
            "measures": [m.as_dict() for m in measures]}
