"""The lecture's conclusion, measured: what a gradient costs by backprop and by finite differences.

Backprop gets every ∂f/∂θ_k from one forward and one backward pass, a small constant
number of forward-equivalents whatever the number of parameters P. Central finite
differences take two forward passes per parameter,
    ∂f/∂θ_k ≈ (f(θ + ε e_k) − f(θ − ε e_k)) / 2ε,
so 2P forward passes in all. Both are timed here, on the server, where no HTTP
overhead hides the difference.

Within a time budget: forward and backprop are repeated and their median taken; the
finite differences run over the entries in a seeded random order until all are done or
the budget is spent. When the budget runs out first, the time for all P entries is
extrapolated from the entries timed (each costs the same two forward passes), and the
answer says so (`extrapolated`, `entries_timed`).
"""

import time

import numpy as np

from ..core import budget as request_budget
from .gradcheck import relative_errors
from ..core.errors import SpecError

DEFAULT_BUDGET_S = 0.3
DEFAULT_EPS = 1e-6
MAX_REPEATS = 50
# Shares of the budget: the two repeated timings, then finite differences with the rest.
FORWARD_SHARE, BACKPROP_SHARE = 0.1, 0.1


def _median_time(fn, budget_s):
    """(median seconds of fn(), runs, fn's last answer), running it at least once and
    again while the budget lasts (up to MAX_REPEATS): a median ignores the odd slow run."""
    times, stop, answer = [], time.perf_counter() + budget_s, None
    while len(times) < MAX_REPEATS:
        t0 = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() >= stop:
            break
    return float(np.median(times)), len(times), answer


def loss_of(model, leaves):
    """f by one forward pass through the whole network."""
    return float(model.forward(leaves)[model.graph.output])


def central_difference(model, leaves, name, k, eps):
    """(f(θ + ε e_k) − f(θ − ε e_k)) / 2ε for flat entry k of parameter `name`: two forwards."""
    p = model.params[name]
    orig = p.flat[k]
    p.flat[k] = orig + eps
    f_plus = loss_of(model, leaves)
    p.flat[k] = orig - eps
    f_minus = loss_of(model, leaves)
    p.flat[k] = orig
    return (f_plus - f_minus) / (2.0 * eps)


def entry_order(model, seed):
    """Every (parameter, flat index), in a seeded random order (a fair sample when cut short)."""
    entries = [(name, k) for name, p in model.params.items() for k in range(np.size(p))]
    order = np.random.default_rng(seed).permutation(len(entries))
    return [entries[i] for i in order]


def time_finite_differences(model, leaves, entries, eps, budget_s):
    """(numeric derivatives of the entries done, seconds spent): at least one entry, then
    more until every entry is done or the budget is spent."""
    numeric, t0 = [], time.perf_counter()
    stop, request = t0 + budget_s, request_budget.current()
    for name, k in entries:
        numeric.append(central_difference(model, leaves, name, k, eps))
        if time.perf_counter() >= stop or request.spent():
            break
    return np.array(numeric), time.perf_counter() - t0


def measure_cost(model, leaves, budget_s=DEFAULT_BUDGET_S, eps=DEFAULT_EPS, seed=0):
    """Backprop against central finite differences on this model and data (see the module doc).

    Returns params (P), forward_passes {backprop: 1, finite_differences: 2P} (exact counts),
    seconds {forward, backprop, finite_differences (all P entries; extrapolated when cut
    short)}, forward_equivalents {backprop, finite_differences} (seconds / one forward),
    finite_differences {entries_timed, seconds_timed, seconds_per_entry, extrapolated,
    forward_passes_timed}, max_relative_error (backprop against the entries timed), eps,
    repeats {forward, backprop}, note.
    """
    # The model is this request's own: perturbing its parameters in place is safe.
    model.params = {k: np.array(v, dtype=np.float64, copy=True) for k, v in model.params.items()}
    n_params = int(sum(np.size(p) for p in model.params.values()))
    if n_params == 0:
        raise SpecError(("network",), "this network has no parameters: there is no gradient "
                                      "to time against finite differences")
    with np.errstate(all="ignore"):
        t_forward, n_forward, _ = _median_time(lambda: loss_of(model, leaves), FORWARD_SHARE * budget_s)
        t_backprop, n_backprop, (_, grads) = _median_time(lambda: model.loss_and_grads(leaves),
                                                          BACKPROP_SHARE * budget_s)
        entries = entry_order(model, seed)
        rest = budget_s * (1 - FORWARD_SHARE - BACKPROP_SHARE)
        numeric, spent = time_finite_differences(model, leaves, entries, eps, rest)
    done = len(numeric)
    analytic = np.array([grads[name].flat[k] for name, k in entries[:done]])
    per_entry = spent / done
    fd_seconds = per_entry * n_params
    extrapolated = done < n_params
    return {
        "params": n_params,
        "forward_passes": {"backprop": 1, "finite_differences": 2 * n_params},
        "backward_passes": {"backprop": 1, "finite_differences": 0},
        "seconds": {"forward": t_forward, "backprop": t_backprop, "finite_differences": fd_seconds},
        "forward_equivalents": {"backprop": t_backprop / t_forward if t_forward > 0 else None,
                                "finite_differences": fd_seconds / t_forward if t_forward > 0 else None},
        "finite_differences": {"entries_timed": done, "entries_total": n_params,
                               "forward_passes_timed": 2 * done, "seconds_timed": spent,
                               "seconds_per_entry": per_entry, "extrapolated": extrapolated},
        "max_relative_error": float(np.max(relative_errors(analytic, numeric))),
        "eps": eps,
        "repeats": {"forward": n_forward, "backprop": n_backprop},
        "note": _note(done, n_params),
    }


def _note(done, n_params):
    if done < n_params:
        return (f"finite differences timed on {done} of {n_params} parameters (a seeded random "
                f"sample, 2 forward passes each) and extrapolated to all {n_params}")
    return f"finite differences timed on all {n_params} parameters (2 forward passes each)"
