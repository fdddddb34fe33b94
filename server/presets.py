"""Ready-made scenes in the lecture's order: a network, data and what to look at.

Each preset is built by a function so its numbers are generated from a fixed seed
(and stay identical across runs), then returned as plain JSON-ready data.
"""

import numpy as np

from .engine.datasets import make_dataset


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


def _why_backprop():
    scene = _tanh_mlp()
    scene.update(
        title="Why backprop? The gradient as a first-order prediction",
        section="Background",
        description="Nudge one weight by δ: the loss changes by about ⟨∂f/∂W, δ⟩ (eqs. 1–2), "
                    "and the remainder shrinks like δ². Finite differences need two forward "
                    "passes per parameter; backprop gets every ∂f/∂W from one forward and one "
                    "backward pass.",
        look_at="the actual change of f beside ⟨∂f/∂W, δ⟩ as δ shrinks.",
        view="nudge",
    )
    return scene


def _training(name, lr, title, description, look_at):
    data = make_dataset("moons", n=200, noise=0.1, seed=0)
    return dict(
        title=title, section="Training", description=description, look_at=look_at,
        network={"kind": "mlp", "sizes": [2, 8, 8, 1], "activation": "tanh",
                 "output_activation": "identity", "bias": True, "loss": "mse",
                 "seed": 1, "init": "xavier"},
        x=data["x"].tolist(), y=data["y"].tolist(), lr=lr, view="training",
        dataset={"name": "moons", "n": 200, "noise": 0.1, "seed": 0},
    )


def _two_moons():
    return _training("two-moons", 0.2, "Training on two moons",
                     "Gradient descent on a 2-8-8-1 tanh net (squared error on 0/1 labels). Press play: "
                     "the decision boundary bends around the moons as the loss falls.",
                     "the boundary under the points and the loss curve, step by step.")


def _diverging():
    return _training("diverging", 5.0, "Too large a learning rate",
                     "The same net with η = 5: the updates overshoot, the weights grow and the "
                     "numbers overflow. The page points at the first node that overflowed.",
                     "the loss curve leaving the chart, and the diagnosis of the first overflow.")


# In the lecture's order.
PRESET_BUILDERS = {
    "why-backprop": _why_backprop,
    "linear-warmup": _linear_warmup,
    "tanh-mlp": _tanh_mlp,
    "two-moons": _two_moons,
    "diverging": _diverging,
    "deep-sigmoid": _deep_sigmoid,
}


def list_presets():
    return [{"name": name, **{k: build()[k] for k in ("title", "section", "description")}}
            for name, build in PRESET_BUILDERS.items()]


def get_preset(name):
    build = PRESET_BUILDERS.get(name)
    return None if build is None else {"name": name, **build()}
