"""The recurrent network unrolled through time (`kind: "rnn"`), in layers:

build.py  the spec, the parameters and the unrolled graph (its ops: ops.py, shapes.py);
bptt.py   forward and backward through time on arrays stacked over time;
sweeps.py the kind's own sweeps, every node's value and gradient from bptt.py;
extras.py the answer's per-step summaries (gradient norms, the bound, truncation).
"""

from ..kind import Kind
from . import bptt, build, extras, sweeps
from .build import CELLS, GATES, LOSSES, RNN_INITS, normalise, step_ids

KIND = Kind("rnn", normalise=build.normalise, param_shapes=build.param_shapes, build=build.build,
            check_data=build.check_data, values_per_example=build.values_per_example,
            forward=sweeps.forward, backward=sweeps.backward,
            local_derivatives=sweeps.local_derivatives, extras=extras.backward_extras,
            sweep_work=bptt.sweep_work)

__all__ = ["CELLS", "GATES", "KIND", "LOSSES", "RNN_INITS", "normalise", "step_ids"]
