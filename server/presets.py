"""Ready-made scenes in the lecture's order: a network, data and what to look at.

Each preset is built by a function so its numbers are generated from a fixed seed
(and stay identical across runs), then returned as plain JSON-ready data.
"""

import numpy as np


def _linear_warmup():
    return dict(
        title="Warm-up: a linear network, d = 3",
        section="Warm-up: multi-layer linear network",
        description="ŷ = w₃ w₂ w₁ x with scalar weights and loss (ŷ − y)². The forward pass "
                    "computes a₁, a₂, a₃; the backward pass g₃ = 2(ŷ − y), g₂ = w₃ᵀ g₃, …, and "
                    "each ∂L/∂wᵢ = gᵢ aᵢ₋₁ᵀ equals the closed form (3).",
        look_at="∂L/∂w_i next to the closed form (3), digit for digit.",
        network={"kind": "mlp", "sizes": [1, 1, 1, 1], "activation": "identity",
                 "output_activation": "identity", "bias": False, "loss": "mse",
                 "params": {"W1": [[0.8]], "W2": [[-0.6]], "W3": [[1.2]]}},
        x=[[1.5]], y=[[0.5]], lr=0.05,
    )


def _tanh_mlp():
    rng = np.random.default_rng(7)
    sizes = [2, 3, 3, 1]
    params = {}
    for i in range(1, len(sizes)):
        bound = np.sqrt(6.0 / (sizes[i] + sizes[i - 1]))
        params[f"W{i}"] = np.round(rng.uniform(-bound, bound, (sizes[i], sizes[i - 1])), 2).tolist()
        params[f"b{i}"] = np.round(rng.uniform(-0.3, 0.3, sizes[i]), 2).tolist()
    return dict(
        title="The general case: tanh, bias, a batch of 4",
        section="The general case",
        description="z_i = W_i a_{i−1} + b_i, a_i = tanh(z_i), mean squared error over a batch "
                    "of 4. Backward: ∂f/∂z_i = (W_{i+1}ᵀ ∂f/∂z_{i+1}) ⊙ b′(z_i), then "
                    "∂f/∂W_i = ∂f/∂z_i a_{i−1}ᵀ summed over the batch. One update lowers the loss.",
        look_at="b′(z_i) = 1 − tanh²(z_i) scaling the gradient unit by unit; the loss after an update.",
        network={"kind": "mlp", "sizes": sizes, "activation": "tanh",
                 "output_activation": "identity", "bias": True, "loss": "mse", "params": params},
        x=[[0.5, -1.0], [1.0, 0.5], [-0.5, 1.5], [-1.0, -0.5]],
        y=[[0.8], [-0.3], [0.5], [-0.6]], lr=0.1,
    )


def _deep_sigmoid():
    return dict(
        title="Vanishing gradients in a deep sigmoid net",
        section="The general case",
        description="Ten sigmoid layers. Each backward step multiplies by W_{i+1}ᵀ and by "
                    "b′(z_i) = σ(z_i)(1 − σ(z_i)) ≤ 1/4, so ‖∂f/∂W_i‖ shrinks layer by layer "
                    "towards the input.",
        look_at="the per-layer gradient norms: the first layers' are orders of magnitude smaller.",
        network={"kind": "mlp", "sizes": [2] + [4] * 9 + [1], "activation": "sigmoid",
                 "output_activation": "identity", "bias": True, "loss": "mse",
                 "seed": 0, "init": "xavier"},
        x=[[0.5, -1.0], [1.0, 0.5], [-0.5, 1.5], [-1.0, -0.5]],
        y=[[1.0], [0.0], [1.0], [0.0]], lr=0.5,
    )


# In the lecture's order.
PRESET_BUILDERS = {
    "linear-warmup": _linear_warmup,
    "tanh-mlp": _tanh_mlp,
    "deep-sigmoid": _deep_sigmoid,
}


def list_presets():
    return [{"name": name, **{k: build()[k] for k in ("title", "section", "description")}}
            for name, build in PRESET_BUILDERS.items()]


def get_preset(name):
    build = PRESET_BUILDERS.get(name)
    return None if build is None else {"name": name, **build()}
