"""The network kinds, each one `Kind` record (kind.py), and the registry the model reads.

mlp: layers of linear + activation; graph: any acyclic graph of documented ops, fed by
node id; rnn: a recurrent network (vanilla or LSTM cell) unrolled through time.
"""

from ..core.errors import SpecError
from . import graph, mlp, rnn
from .kind import Kind, Normalised

KINDS = {k.name: k for k in (mlp.KIND, graph.KIND, rnn.KIND)}
KIND_NAMES = tuple(KINDS)  # the allowed values of `kind`, for the engine and the schema


def kind_of(spec):
    """The Kind record of a spec (raw or normalised); `kind` defaults to "mlp"."""
    if not isinstance(spec, dict):
        raise SpecError(("network",), "must be an object with a 'kind'")
    name = spec.get("kind", "mlp")
    if name not in KINDS:
        raise SpecError(("network", "kind"), f"unknown kind {name!r}; allowed: "
                                             + ", ".join(KIND_NAMES))
    return KINDS[name]


def normalise(spec):
    """The checked, complete spec (defaults filled in), marked `Normalised`: a normalised
    spec is returned as it is, so a request normalises its network once."""
    if isinstance(spec, Normalised):
        return spec
    return Normalised(kind_of(spec).normalise(spec), spec)


__all__ = ["KINDS", "KIND_NAMES", "Kind", "Normalised", "kind_of", "normalise"]
