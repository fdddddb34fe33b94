"""A built network: its spec, graph and current parameters, and what you can do with it.

`build_model(spec)` normalises the spec (once: a `Normalised` spec is taken as it is) and
builds it with its kind's record (kinds/). A Model is mutable only through `apply_update`
(gradient descent), so a session can own one and a stateless request can throw it away.
"""

import math

import numpy as np

from .analysis.diagnose import diagnose_divergence
from .core.autodiff import backward, forward
from .core.clipping import clip_grads
from .core.cost_model import minibatch_cost
from .core.errors import SpecError
from .kinds import kind_of, normalise


def param_count(spec):
    """Number of parameters the spec asks for, computed before anything is allocated."""
    spec = normalise(spec)
    shapes = kind_of(spec).param_shapes(spec)
    return sum(math.prod(s) for s in shapes.values())  # Python ints: no int64 overflow


class Model:
    def __init__(self, spec):
        self.spec = normalise(spec)
        self.kind_record = kind_of(self.spec)
        self.graph, self.params = self.kind_record.build(self.spec)

    @property
    def kind(self):
        return self.spec["kind"]

    def leaves_for(self, x, y):
        """Checked input leaves for data (x, y)."""
        return self.kind_record.check_data(self.spec, x, y)

    def leaves_from(self, x=None, y=None, inputs=None):
        """Checked input leaves from a request: x and y, or a graph's inputs by id."""
        if inputs is not None:
            if self.kind_record.check_inputs is None:
                raise SpecError(("inputs",), f"'inputs' feeds a graph by node id; a {self.kind} "
                                             "network takes 'x' and 'y'")
            return self.kind_record.check_inputs(self.spec, inputs)
        return self.kind_record.check_data(self.spec, x, y)

    def forward(self, data_leaves, per_node=True):
        """Every node's value. A kind may own its forward sweep (the RNN runs on arrays
        stacked over time; with per_node=False it makes no per-step entries)."""
        own = self.kind_record.forward
        if own is not None:
            return own(self.spec, self.graph, data_leaves, self.params, per_node)
        return forward(self.graph, {**data_leaves, **self.params})

    def backward(self, values, track_uses=True, params_only=False, per_node=True):
        """(grads, uses). A kind may own its backward sweep (truncated BPTT drops paths per
        loss term)."""
        own = self.kind_record.backward
        if own is not None:
            return own(self.spec, self.graph, values, track_uses, per_node)
        return backward(self.graph, values, track_uses, params_only)

    def param_grads(self, grads):
        return {name: grads[name] for name in self.params}

    def loss_and_grads(self, data_leaves):
        """(loss, parameter gradients): one forward and one backward pass, nothing recorded."""
        with np.errstate(all="ignore"):
            values = self.forward(data_leaves, per_node=False)
            grads, _ = self.backward(values, track_uses=False, params_only=True, per_node=False)
        return float(values[self.graph.output]), self.param_grads(grads)

    def predict(self, data_leaves):
        """Every node's value on new inputs (targets not needed: they are filled with zeros)."""
        leaves = dict(data_leaves)
        for nid in self.graph.leaves("input"):
            if nid not in leaves:
                raise SpecError(("x",), f"input {nid!r} is missing")
        with np.errstate(all="ignore"):
            return self.forward(leaves)

    def predict_answer(self, x):
        """The answer of /predict (the layers and output on new x), for a kind that has one."""
        if self.kind_record.predict is None:
            raise SpecError(("network", "kind"), f"predict is for kind 'mlp' networks, not "
                                                 f"{self.kind!r}")
        return self.kind_record.predict(self, x)

    def training_cost(self, leaves, batch_size=None):
        """The Cost of one training step (cost_model.minibatch_cost): `steps` of them are
        steps × its work and steps × its numbers."""
        return minibatch_cost(self, leaves, batch_size)

    def apply_update(self, param_grads, lr):
        """Gradient descent: W ← W − η·∂f/∂W for every parameter."""
        self.params = {name: p - lr * param_grads[name] for name, p in self.params.items()}

    def gradient_step(self, data_leaves, lr, clip=None):
        """One update; returns (loss before the update, grads used, clipping report)."""
        loss, grads = self.loss_and_grads(data_leaves)
        report = None
        if clip is not None:
            grads, report = clip_grads(grads, clip)
        with np.errstate(all="ignore"):
            self.apply_update(grads, lr)
        return loss, grads, report

    def train(self, data_leaves, steps, lr, clip=None, batches=None, first_step=0, budget=None):
        """Up to `steps` updates: the loss before each, the clipping norms when clipping, and
        (None, or) a diagnosis of the first step whose loss was not finite. Training stops
        there: that step's update is not kept (the parameters stay those that gave the
        non-finite loss), since every later step would only carry NaN forward. Steps are
        numbered from `first_step` (a session's updates so far). With `batches` (a
        Minibatches), each step uses the next minibatch instead of the whole batch. With a
        `budget` (core/budget.py), training also stops between steps once it is spent (the
        steps done are kept; `budget.stopped` says why)."""
        losses, norms_before, divergence = [], [], None
        last_finite = self.params
        with np.errstate(all="ignore"):
            for step in range(first_step, first_step + steps):
                params_now = self.params  # updates replace arrays, so this is a free snapshot
                leaves = data_leaves if batches is None else batches.next()
                loss, _, report = self.gradient_step(leaves, lr, clip)
                losses.append(loss)
                if report is not None:
                    norms_before.append(report["total_norm_before"])
                if not math.isfinite(loss):
                    self.params = params_now
                    divergence = diagnose_divergence(self, data_leaves, step, last_finite, lr, clip)
                    break
                last_finite = params_now
                if budget is not None and budget.spent():
                    break
        return losses, norms_before, divergence

    @staticmethod
    def updates_applied(losses, divergence):
        """How many updates a train() call kept: all, or all before the diverging step."""
        return len(losses) - (divergence is not None)


def build_model(spec):
    return Model(spec)
