"""The multi-layer perceptron (`kind: "mlp"`) as a computation graph.

a0 = x;  z_i = W_i a_{i−1} + b_i;  a_i = b(z_i);  f = loss(a_d, y)   (i = 1..d)

Batch first: a_i has shape (m, r_i) and W_i (r_i, r_{i−1}), like torch.nn.Linear, so in
code z_i = a_{i−1} W_iᵀ + b_i. The linear warm-up is activation "identity", bias false.
"""

import numpy as np

from ..core.activations import ACTIVATIONS, sigmoid
from ..core.arrays import as_array
from ..core.errors import SpecError
from ..core.graph import Graph, Node
from ..core.init import INITS, init_weight
from ..core.losses import LOSSES, log_softmax
from ..core.spec import choice, positive_int, seed_of, seeded_params
from .kind import Kind


def normalise(spec):
    sizes = spec.get("sizes")
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise SpecError(("network", "sizes"),
                        "must be a list of at least two layer widths, e.g. [2, 3, 1]")
    sizes = [positive_int(s, ("network", "sizes", i)) for i, s in enumerate(sizes)]
    loss = choice(spec, "loss", LOSSES, "mse")
    out = dict(
        kind="mlp",
        sizes=sizes,
        activation=choice(spec, "activation", tuple(ACTIVATIONS), "tanh"),
        output_activation=choice(spec, "output_activation", tuple(ACTIVATIONS), "identity"),
        loss=loss,
        bias=bool(spec.get("bias", True)),
        seed=seed_of(spec),
        init=choice(spec, "init", INITS, "xavier"),
    )
    allowed_out = {"cross_entropy": ("identity",), "bce": ("identity", "sigmoid")}.get(loss)
    if allowed_out and out["output_activation"] not in allowed_out:
        raise SpecError(("network", "output_activation"),
                        f"loss {loss!r} reads logits, so output_activation must be "
                        + " or ".join(repr(a) for a in allowed_out))
    return out


def param_shapes(spec):
    shapes = {}
    for i in range(1, len(spec["sizes"])):
        shapes[f"W{i}"] = (spec["sizes"][i], spec["sizes"][i - 1])
        if spec["bias"]:
            shapes[f"b{i}"] = (spec["sizes"][i],)
    return shapes


def build(spec):
    """(Graph, params) for a normalised MLP spec (explicit params come from `spec.raw`)."""
    def draw(rng, name, shape):
        return init_weight(rng, spec["init"], *shape) if name[0] == "W" else np.zeros(shape)

    params = seeded_params(spec.raw, param_shapes(spec), spec["seed"], draw)
    return graph_of(spec), params


def values_per_example(spec):
    """Numbers one example holds across all nodes (each a, z: value and gradient)."""
    return 2 * sum(spec["sizes"])


def graph_of(spec):
    d = len(spec["sizes"]) - 1
    nodes = [Node("a0", "input")]
    for i in range(1, d + 1):
        nodes.append(Node(f"W{i}", "param"))
        inputs = (f"a{i - 1}", f"W{i}")
        if spec["bias"]:
            nodes.append(Node(f"b{i}", "param"))
            inputs += (f"b{i}",)
        nodes.append(Node(f"z{i}", "linear", inputs))
        act = spec["activation"] if i < d else spec["output_activation"]
        nodes.append(Node(f"a{i}", act, (f"z{i}",)))
    # bce with a sigmoid output reads the logits z_d (stable); a_d = σ(z_d) is shown.
    prediction = f"z{d}" if spec["output_activation"] == "sigmoid" and spec["loss"] == "bce" else f"a{d}"
    nodes += [Node("y", "input"), Node("loss", spec["loss"], (prediction, "y"))]
    return Graph(nodes, "loss")


def check_data(spec, x, y):
    """The leaves a0 = x and y, checked against the network's widths and loss."""
    sizes = spec["sizes"]
    x = as_array(x, ("x",), shape=(None, sizes[0]))
    m, out = x.shape[0], sizes[-1]
    if m == 0:
        raise SpecError(("x",), "needs at least one example (a batch of size m ≥ 1)")
    if spec["loss"] == "cross_entropy":
        y = as_array(y, ("y",), ndim=(1, 2))
        if y.ndim == 1:
            if y.shape[0] != m:
                raise SpecError(("y",), f"expected {m} class indices (one per row of x), got {y.shape[0]}")
            if np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= out):
                raise SpecError(("y",), f"class indices must be integers in 0..{out - 1}")
        elif y.shape != (m, out):
            raise SpecError(("y",), f"expected shape ({m},) of class indices or ({m}, {out}) "
                                    f"of one-hot rows, got {tuple(y.shape)}")
        return {"a0": x, "y": y}
    y = as_array(y, ("y",), ndim=(1, 2))
    if y.ndim == 1 and out == 1:
        y = y.reshape(-1, 1)  # one output: [y1, y2, ...] is accepted for [[y1], [y2], ...]
    if y.shape != (m, out):
        raise SpecError(("y",), f"expected shape ({m}, {out}), got {tuple(y.shape)}")
    return {"a0": x, "y": y}


def predict(model, x):
    """The layers a_1 … a_d on new inputs x (m, r_0), e.g. a grid for a decision boundary
    and per-unit heat maps, and the output as a probability for bce and cross_entropy."""
    spec = model.spec
    x = as_array(x, ("x",), shape=(None, spec["sizes"][0]))
    m, out = x.shape[0], spec["sizes"][-1]
    dummy_y = np.zeros(m) if spec["loss"] == "cross_entropy" else np.zeros((m, out))
    values = model.predict(model.leaves_for(x, dummy_y))
    d = len(spec["sizes"]) - 1
    answer = {"layers": {f"a{i}": values[f"a{i}"] for i in range(1, d + 1)},
              "output": values[f"a{d}"]}
    logits = values[f"z{d}"]
    with np.errstate(all="ignore"):
        if spec["loss"] == "bce":
            answer["probability"] = sigmoid(logits)
        elif spec["loss"] == "cross_entropy":
            answer["probability"] = np.exp(log_softmax(logits))
    return answer


KIND = Kind("mlp", normalise=normalise, param_shapes=param_shapes, build=build,
            check_data=check_data, values_per_example=values_per_example, predict=predict)
