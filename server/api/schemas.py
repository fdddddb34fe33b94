"""Request and response schemas (what comes in, what goes out), shown in OpenAPI at /docs.

Arrays are typed `Any` here on purpose: the engine turns them into float64 arrays and
checks their shapes against the network, with errors that name the field; pydantic
validating millions of floats one by one would be slow and say less.
"""

from itertools import chain
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from ..engine import KIND_NAMES, Clip as EngineClip
from ..engine.core.activations import ACTIVATIONS
from ..engine.core.clipping import CLIP_MODES, NORM_TYPES
from ..engine.core.cost_model import gradcheck_work
from ..engine.core.graph import LEAF_OPS
from ..engine.core.init import INITS
from ..engine.core.losses import LOSSES
from ..engine.core.ops import graph_ops
from ..engine.kinds import rnn

# The allowed values are the engine's own (one definition, used by both).
Activation = Literal[tuple(ACTIVATIONS)]


def _not_a_boolean(value):
    """JSON true/false where a number goes: refused (pydantic's lax mode reads true as 1)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    return value


def _no_booleans_inside(value):
    """An array of numbers with no true/false in it (numpy would read them as 1 and 0).

    Level by level, each one flattened in C (chain) and its types taken at once: a
    (1, 1000, 1) array is three levels, not a thousand Python steps."""
    level = [value]
    while level:
        types = set(map(type, level))
        if bool in types:
            raise ValueError("expected an array of numbers, found a boolean")
        if list not in types:
            return value
        lists = level if len(types) == 1 else [v for v in level if type(v) is list]
        level = list(chain.from_iterable(lists))
    return value


Int = Annotated[int, BeforeValidator(_not_a_boolean)]
Float = Annotated[float, BeforeValidator(_not_a_boolean)]
# Arrays stay `Any` here (see the module doc); only their booleans are refused.
Array = Annotated[Any, AfterValidator(_no_booleans_inside)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class MLPNetwork(Strict):
    """A multi-layer perceptron: z_i = W_i a_{i−1} + b_i, a_i = b(z_i), f = loss(a_d, y)."""

    kind: Literal["mlp"] = "mlp"
    sizes: list[Int] = Field(min_length=2, description="layer widths r_0 … r_d",
                             examples=[[2, 3, 1]])
    activation: Activation = "tanh"
    output_activation: Activation = "identity"
    loss: Literal[LOSSES] = "mse"
    bias: bool = True
    seed: Int = Field(0, ge=0)
    init: Literal[INITS] = "xavier"
    params: dict[str, Array] | None = Field(
        None, description="explicit values by name (W1, b1, …); the rest come from seed")


class RNNNetwork(Strict):
    """A recurrent network unrolled through time (vanilla RNN or LSTM, torch layout)."""

    kind: Literal["rnn"]
    cell: Literal[rnn.CELLS] = "rnn"
    input_size: Int = Field(1, gt=0)
    hidden_size: Int = Field(8, gt=0)
    output_size: Int = Field(1, gt=0)
    steps: Int = Field(10, gt=0, description="T, the number of time steps")
    activation: Activation = "tanh"
    loss: Literal[rnn.LOSSES] = "mse_last"
    truncate: Int | None = Field(None, gt=0, description="k for truncated BPTT; null = full")
    recurrent_spectral_norm: Float | None = Field(None, gt=0, description="ρ = σ_max(W_hh)")
    bias: bool = True
    seed: Int = Field(0, ge=0)
    init: Literal[rnn.RNN_INITS] | None = None
    params: dict[str, Array] | None = None


def _graph_op_names():
    """The ops a graph node may name, as the engine registers them (the schema documents
    them; the engine checks them, naming the node, since tests may register more)."""
    return [*LEAF_OPS, *(op.name for op in graph_ops())]


class GraphNode(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    id: str = Field(min_length=1, max_length=100)
    op: str = Field(json_schema_extra={"enum": _graph_op_names()})
    inputs: list[str] = []
    shape: list[Int | None] | None = None
    value: Array = None


class GraphNetwork(Strict):
    """Any acyclic computation graph of documented ops; inputs are fed by id."""

    kind: Literal["graph"]
    nodes: list[GraphNode] = Field(min_length=1)
    output: str | None = None
    seed: Int = Field(0, ge=0, description="draws the params given only a shape")
    params: dict[str, Array] | None = Field(
        None, description="explicit values by param node id (override `value`)")


def _kind_of(value):
    if isinstance(value, dict):
        return value.get("kind", "mlp")
    return getattr(value, "kind", "mlp")


NETWORKS = {"mlp": MLPNetwork, "rnn": RNNNetwork, "graph": GraphNetwork}
assert set(NETWORKS) == set(KIND_NAMES), "one request schema per engine kind"
Network = Annotated[Union[tuple(Annotated[model, Tag(name)] for name, model in NETWORKS.items())],
                    Discriminator(_kind_of)]


class ClipNorm(Strict):
    """Like torch.nn.utils.clip_grad_norm_: one global norm, coef = max_norm/(norm+1e-6)."""

    mode: Literal[CLIP_MODES[0]]
    max_norm: Float = Field(1.0, gt=0)
    norm_type: Literal[tuple(NORM_TYPES)] = 2

    def engine_clip(self):
        return EngineClip("norm", max_norm=self.max_norm, norm_type=NORM_TYPES[self.norm_type])


class ClipValue(Strict):
    """Like torch.nn.utils.clip_grad_value_: every entry clamped to [−clip_value, clip_value]."""

    mode: Literal[CLIP_MODES[1]]
    clip_value: Float = Field(1.0, gt=0)

    def engine_clip(self):
        return EngineClip("value", clip_value=self.clip_value)


Clip = Annotated[Union[ClipNorm, ClipValue], Field(discriminator="mode")]

EXAMPLE = {"network": {"kind": "mlp", "sizes": [2, 3, 1], "activation": "tanh",
                       "loss": "mse", "seed": 0},
           "x": [[1.0, 2.0], [0.5, -1.0]], "y": [[1.0], [0.0]]}


class Data(Strict):
    # An MLP and an RNN need x and y; a graph takes `inputs` by id, or x / y for its input
    # nodes named "x" / "y". So: x, or inputs, is required (the engine names what is missing).
    REQUIRES: ClassVar[list] = [{"required": ["x"]}, {"required": ["inputs"]}]

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        """The schema, with which fields are required together (JSON Schema's anyOf)."""
        schema = handler.resolve_ref_schema(handler(core_schema))
        if cls.REQUIRES:
            schema["anyOf"] = cls.REQUIRES
        return schema
    x: Array = Field(None, description="inputs, batch first: (m, r0) for an MLP, (m, T, I) for "
                                       "an RNN; required unless a graph's `inputs` are given")
    y: Array = Field(None, description="targets; required for an MLP and an RNN (a graph: "
                                       "for its input node \"y\", if it has one)")
    inputs: dict[str, Array] | None = Field(None, description="graph inputs by node id")

    def work(self, model, cost):
        """(multiply-adds, what) this request asks of the engine, from one run's Cost."""
        return cost.work, "one forward and backward pass"


class BackpropRequest(Data):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})
    network: Network
    clip: Clip | None = None
    detail: Literal["full", "summary", "gradients"] | None = Field(
        None, description="'summary' sends each use's contribution as a norm only (an RNN's "
                          "per-step norms are in contribution_norms); 'full' adds the arrays. "
                          "Default: full while they hold ≤ 100,000 numbers, else summary. "
                          "'gradients' is the compact answer for scripts: the loss, params, "
                          "param_grads, clipping and the per-step RNN figures, without the "
                          "per-node values, grads, graph and orders")


class SessionCreate(Data):
    model_config = ConfigDict(json_schema_extra={"examples": [{"preset": "tanh-mlp"}, EXAMPLE]})
    REQUIRES: ClassVar[list] = [{"required": ["preset"]}, {"required": ["network", "x"]},
                                {"required": ["network", "inputs"]}]
    network: Network | None = None
    preset: str | None = None


class ForwardRequest(Data):
    REQUIRES: ClassVar[list] = []  # new x, y or inputs are optional here


class StepRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"lr": 0.1}]})
    lr: Float = Field(gt=0, description="η in W ← W − η·∂f/∂W")
    clip: Clip | None = None


class TrainRequest(StepRequest):
    model_config = ConfigDict(json_schema_extra={"examples": [{"steps": 100, "lr": 0.1},
                                                              {"steps": 50, "lr": 0.1, "batch_size": 16}]})
    steps: Int = Field(gt=0)
    batch_size: Int | None = Field(None, gt=0, description="minibatch size (SGD); null = the "
                                                           "whole batch (gradient descent)")
    seed: Int = Field(0, ge=0, description="seed of the minibatch order")


class PredictRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"x": [[0.0, 0.5], [1.0, -1.0]]}]})
    x: Array = Field(description="inputs (m, r0), e.g. a grid of points for a decision boundary")


class TraceResponse(BaseModel):
    """The answer of /backprop (documented; arrays are nested lists, non-finite as strings)."""

    loss: float | str
    nonfinite: bool
    graph: dict
    forward_order: list[str]
    backward_order: list[str]
    values: dict[str, Any]
    grads: dict[str, Any]
    params: dict[str, Any]
    param_grads: dict[str, Any]
    contributions: dict[str, list[dict[str, Any]]]
    local_derivatives: dict[str, Any]
    clipping: dict[str, Any] | None = None


class PresetSummary(BaseModel):
    name: str
    title: str
    section: str
    description: str


class RunRequest(Data):
    """A network and its data: the common body of the analysis endpoints."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})
    network: Network


class HVPRequest(RunRequest):
    v: dict[str, Array] | None = Field(
        None, description="the direction, {param: array} with the params' shapes (missing "
                          "params are zero); omitted: along `direction`")
    direction: Literal["gradient", "random"] = "gradient"
    seed: Int = Field(0, ge=0, description="for direction 'random'")
    check: bool = Field(False, description="also compare with the central difference of gradients")
    eps: Float = Field(1e-5, gt=0, lt=1)

    def work(self, model, cost):
        return cost.hvp(1) + 3 * cost.work * self.check, "a Hessian-vector product"


class GradcheckRequest(RunRequest):
    eps: Float = Field(1e-6, gt=0, lt=1)
    max_entries: Int = Field(200, ge=1, le=5000,
                             description="entries checked per array (sampled beyond it)")
    nodes: bool = Field(True, description="also check ∂f/∂node for every node")
    seed: Int = Field(0, ge=0)

    def work(self, model, cost):
        return (gradcheck_work(model, cost, self.max_entries, self.nodes),
                "gradient checking (two forward passes per entry checked)")


class NudgeRequest(RunRequest):
    param: str = Field(description="the parameter to nudge, e.g. W1")
    delta: Array = Field(description="δ: an array of the param's shape, or a number with `index`")
    index: list[Int] | None = Field(None, description="one entry, e.g. [0, 1]")

    def work(self, model, cost):
        return 4 * cost.work, "a nudge (a few forward and backward passes)"


class HessianRequest(RunRequest):
    """A small network and its data: its full Hessian, one HVP per parameter."""

    def work(self, model, cost):
        return cost.hvp(cost.n_params + 1) + cost.n_params ** 3, \
            f"the full Hessian ({cost.n_params} Hessian-vector products)"


class EigenRequest(RunRequest):
    iters: Int = Field(30, ge=1, le=500)
    seed: Int = Field(0, ge=0)

    def work(self, model, cost):
        return cost.hvp(self.iters + 1), f"{self.iters} power iterations (one HVP each)"


class NewtonRequest(RunRequest):
    damping: Float = Field(0.0, ge=0)

    def work(self, model, cost):
        return cost.hvp(cost.n_params + 1) + 2 * cost.work + cost.n_params ** 3, \
            f"a Newton step ({cost.n_params} Hessian-vector products and a solve)"
