"""Ready-made scenes in the lecture's order: a network, data and what to look at.

Each preset is built by a function so its numbers are generated from a fixed seed
(and stay identical across runs), then returned as plain JSON-ready data.
"""

import numpy as np

from .engine.data.datasets import make_dataset


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
        section="Vanishing gradients",
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


def _training(lr, train_steps, title, description, look_at, **extra):
    data = make_dataset("moons", n=200, noise=0.1, seed=0)
    return dict(
        title=title, section="Training", description=description, look_at=look_at,
        network={"kind": "mlp", "sizes": [2, 8, 8, 1], "activation": "tanh",
                 "output_activation": "identity", "bias": True, "loss": "mse",
                 "seed": 1, "init": "xavier"},
        x=data["x"].tolist(), y=data["y"].tolist(), lr=lr, view="training", train_steps=train_steps,
        dataset={"name": "moons", "n": 200, "noise": 0.1, "seed": 0}, **extra,
    )


def _two_moons():
    return _training(0.2, 1500, "Training on two moons",
                     "Gradient descent on a 2-8-8-1 tanh net (squared error on 0/1 labels). Press play: "
                     "the decision boundary bends around the moons as the loss falls. New weights "
                     "(another seed) train the same way: 98.5–99.5 % accuracy after 1000 steps for "
                     "seeds 0–4, though a rare seed may end a point or two short of 95 %.",
                     "the boundary under the points and the loss curve, step by step.")


def _diverging():
    return _training(5.0, 300, "Too large a learning rate",
                     "The same net with η = 5: the updates overshoot, the weights grow and the "
                     "numbers overflow. The page points at the first node that overflowed. Every "
                     "weight seed overflows within 300 steps; at η = 0.2 each trains, while "
                     "η = 0.5 already overflows for some seeds.",
                     "the loss curve leaving the chart, and the diagnosis of the first overflow.",
                     # Measured over network seeds 0–4: η = 0.2 trains every one; η = 0.5
                     # already diverges for seed 2 (step 175), so the stable rate is 0.2.
                     stable_lr=0.2)


def _graph(title, section, description, look_at, nodes, inputs, view="graph"):
    return dict(title=title, section=section, description=description, look_at=look_at,
                network={"kind": "graph", "output": "loss", "nodes": nodes}, inputs=inputs,
                lr=0.1, view=view)


BATCH = [[0.5, -1.0], [1.0, 0.5], [-0.5, 1.5], [-1.0, -0.5]]
TARGET = [[0.8], [-0.3], [0.5], [-0.6]]


def _skip_connection():
    nodes = [
        {"id": "x", "op": "input", "shape": [None, 2]},
        {"id": "W1", "op": "param", "value": [[0.6, -0.4], [0.3, 0.8]]},
        {"id": "b1", "op": "param", "value": [0.1, -0.2]},
        {"id": "z1", "op": "linear", "inputs": ["x", "W1", "b1"]},
        {"id": "a1", "op": "tanh", "inputs": ["z1"]},
        {"id": "s", "op": "add", "inputs": ["a1", "x"]},
        {"id": "W2", "op": "param", "value": [[0.7, -0.5]]},
        {"id": "out", "op": "linear", "inputs": ["s", "W2"]},
        {"id": "y", "op": "input", "shape": [None, 1]},
        {"id": "loss", "op": "mse", "inputs": ["out", "y"]},
    ]
    return _graph("A skip connection", "Acyclic computation graphs",
                  "s = tanh(W₁x + b₁) + x: the input reaches s by two paths, so ∂f/∂x is the sum "
                  "of the path through the layer and the identity path. Backprop works on any "
                  "acyclic graph: visit the nodes in reverse topological order.",
                  "x's gradient: two contributions (via z1 and via s) adding up.",
                  nodes, {"x": BATCH, "y": TARGET})


def _two_branches():
    nodes = [
        {"id": "x", "op": "input", "shape": [None, 2]},
        {"id": "W", "op": "param", "value": [[0.9, -0.3], [0.4, 0.7]]},
        {"id": "u", "op": "linear", "inputs": ["x", "W"]},
        {"id": "p", "op": "tanh", "inputs": ["u"]},
        {"id": "q", "op": "sigmoid", "inputs": ["u"]},
        {"id": "r", "op": "mul", "inputs": ["p", "q"]},
        {"id": "v", "op": "param", "value": [[1.2], [-0.8]]},
        {"id": "out", "op": "matmul", "inputs": ["r", "v"]},
        {"id": "y", "op": "input", "shape": [None, 1]},
        {"id": "loss", "op": "mse", "inputs": ["out", "y"]},
    ]
    return _graph("One node, two branches", "Acyclic computation graphs",
                  "u feeds two branches, tanh(u) and σ(u), which meet again in r = tanh(u) ⊙ σ(u). "
                  "∂f/∂u = ∂f/∂u|via p + ∂f/∂u|via q: the gradient of a node is the sum over its uses.",
                  "u's gradient split into its two paths, and their sum.",
                  nodes, {"x": BATCH, "y": TARGET})


def _conv1d():
    rng = np.random.default_rng(3)
    x = np.round(rng.normal(size=(2, 8)), 2)
    kernel = np.array([0.5, -1.0, 0.25])
    # Targets from a "true" kernel (plus a shift), so the kernel w has something to learn.
    y = np.round(np.stack([np.correlate(row, kernel, mode="valid") for row in x]) * 0.8 + 0.1, 2)
    nodes = [
        {"id": "x", "op": "input", "shape": [None, 8]},
        {"id": "w", "op": "param", "value": [0.2, 0.1, -0.3]},
        {"id": "out", "op": "conv1d", "inputs": ["x", "w"]},
        {"id": "y", "op": "input", "shape": [None, 6]},
        {"id": "loss", "op": "mse", "inputs": ["out", "y"]},
    ]
    return _graph("Weight sharing: a 1-D convolution", "Weight sharing",
                  "One kernel w of 3 weights slides over the input: out[j] = Σ_i x[j+i] w[i]. "
                  "Every patch uses the same w, so ∂f/∂w is the sum of one term per patch "
                  "(∂f/∂μ = ∂f/∂a + ∂f/∂b + …).",
                  "each patch lit up in turn with its term; the terms summing to ∂f/∂w.",
                  nodes, {"x": x.tolist(), "y": y.tolist()}, view="conv")


def _tied_weights():
    nodes = [
        {"id": "x", "op": "input", "shape": [None, 3]},
        {"id": "W", "op": "param", "value": [[0.5, -0.2], [0.3, 0.6], [-0.4, 0.1]]},
        {"id": "code", "op": "matmul", "inputs": ["x", "W"]},
        {"id": "h", "op": "tanh", "inputs": ["code"]},
        {"id": "Wt", "op": "transpose", "inputs": ["W"]},
        {"id": "recon", "op": "matmul", "inputs": ["h", "Wt"]},
        {"id": "loss", "op": "mse", "inputs": ["recon", "x"]},
    ]
    data = [[1.0, 0.5, -0.5], [0.2, -1.0, 0.8], [-0.6, 0.3, 0.9]]
    return _graph("Tied weights: an autoencoder", "Weight sharing",
                  "The decoder reuses the encoder's W (as Wᵀ). W is one parameter used by two ops, "
                  "so ∂f/∂W is the sum of the encoder's and the decoder's contributions.",
                  "W's two contributions and their sum.", nodes, {"x": data})


def _orthogonal(n, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))
    return q


def _sequence(T, seed=0, scale=0.5):
    return np.round(scale * np.random.default_rng(seed).normal(size=(1, T, 1)), 3).tolist()


def _rnn(title, description, look_at, rho, activation="identity", **extra):
    # An orthogonal W_hh rescaled to ρ has every singular value equal to ρ, so ‖Vᵏx‖ = ρᵏ‖x‖:
    # the lecture's two cases, with nothing hidden by the other singular values.
    T = extra.pop("steps", 30)
    network = {"kind": "rnn", "cell": "rnn", "input_size": 1, "hidden_size": 8, "output_size": 1,
               "steps": T, "activation": activation, "loss": "mse_last", "truncate": None,
               "recurrent_spectral_norm": rho, "seed": 0,
               "params": {"W_hh": _orthogonal(8, 1).tolist()}}
    network.update(extra.pop("network", {}))
    scene = dict(title=title, section="Cyclic graphs: RNNs", description=description,
                 look_at=look_at, network=network, x=_sequence(T), y=[[0.5]], lr=0.05, view="rnn")
    scene.update(extra)
    return scene


def _rnn_vanishing():
    return _rnn("RNN: vanishing gradients (ρ < 1)",
                "Unrolled through time, ∂f/∂h_t = W_hhᵀ ⋯ W_hhᵀ ∂f/∂h_T (times b′ for a nonlinear "
                "cell): with ‖W_hh‖₂ = ρ < 1 it shrinks like ρ^(T−t) — early steps barely learn.",
                "the log-scale chart of ‖∂f/∂h_t‖ falling towards t = 0, on the bound ρ^(T−t).", 0.5)


def _rnn_exploding():
    return _rnn("RNN: exploding gradients (ρ > 1)",
                "The same recursion with ρ > 1 grows like ρ^(T−t): the gradient at early steps "
                "explodes. Drag ρ across 1 and watch the slope flip.",
                "the chart rising towards t = 0; at large ρ and T the numbers overflow.", 1.25)


def _rnn_clipping():
    return _rnn("Fix: gradient clipping", "Exploding gradients rescaled before the update: by "
                "norm (one global factor, direction kept) or by value (each entry clamped, "
                "direction changed).", "the gradient before and after, and the angle between them.",
                1.25, clip={"mode": "norm", "max_norm": 1.0, "norm_type": 2})


def _rnn_truncated():
    T = 30
    y = np.round(np.sin(np.linspace(0, 3, T)) * 0.5, 3).reshape(1, T, 1).tolist()
    return _rnn("Fix: truncated backprop through time (k = 5)",
                "Each loss term's gradient flows back k = 5 steps only; older contributions are "
                "dropped. Cheaper, and no explosion through long chains — but biased.",
                "the greyed-out contributions and how far the truncated gradient is from the full one.",
                0.95, activation="tanh", y=y, network={"loss": "mse_all", "truncate": 5})


def _lstm_vs_rnn():
    return _rnn("LSTM vs RNN on the same sequence",
                "The LSTM's cell state c_t = f ⊙ c_{t−1} + i ⊙ g carries the gradient through the "
                "forget gate instead of through W_hh and a squashing derivative each step (its "
                "bias starts at 1, as is usual).",
                "the two gradient-norm curves side by side.", None, activation="tanh",
                # The forget gate's bias at 1 (Jozefowicz et al., 2015; Keras's unit_forget_bias):
                # f ≈ σ(1) ≈ 0.73 lets the cell state carry its gradient; gates i, f, g, o.
                network={"cell": "lstm", "recurrent_spectral_norm": None,
                         "params": {"b_ih": [0.0] * 8 + [1.0] * 8 + [0.0] * 16}},
                compare={"kind": "rnn", "cell": "rnn", "input_size": 1, "hidden_size": 8,
                         "output_size": 1, "steps": 30, "activation": "tanh", "loss": "mse_last",
                         "recurrent_spectral_norm": 0.9, "seed": 0})


def _remember_first():
    # Measured over network seeds 0–4, each also with its initial weights scaled by
    # (1 ± 1e-9) (full-batch gradient descent, η = 0.2, 500 steps): the plain RNN's loss
    # overflows between steps 270 and 400; with norm clipping the same RNN ends below 0.2 %
    # of its start, and so does the LSTM with the same clipping. Without clipping the LSTM
    # stalls (loss ≈ 0.8 of its start after 600 steps) or diverges at this η, and at
    # η = 0.5 the clipped RNN lands on either side of 2 % under a 1e-9 change of its weights.
    T, m, H = 20, 32, 16
    rng = np.random.default_rng(5)
    first = rng.choice([-1.0, 1.0], size=m)
    x = np.round(0.1 * rng.normal(size=(m, T, 1)), 3)
    x[:, 0, 0] = first
    rnn = {"kind": "rnn", "cell": "rnn", "input_size": 1, "hidden_size": H, "output_size": 1,
           "steps": T, "activation": "tanh", "loss": "mse_last", "recurrent_spectral_norm": None,
           "seed": 0}
    lstm = {**rnn, "cell": "lstm", "params": {"b_ih": [0.0] * H + [1.0] * H + [0.0] * (2 * H)}}
    clip = {"mode": "norm", "max_norm": 1.0, "norm_type": 2}
    return dict(title=f"Task: remember the first input for T = {T} steps",
                section="Cyclic graphs: RNNs",
                description=f"The target is the sign given at t = 1; the {T - 1} steps after it "
                            "are noise. The same data trained three ways with η = 0.2: a plain "
                            "RNN, the same RNN with gradient clipping by norm, and an LSTM with the "
                            "same clipping. With another weight seed the outcome is the same: the "
                            "plain RNN overflows within 500 steps, the other two learn the task.",
                look_at="the plain RNN's loss exploding to NaN, clipping taming the same RNN, "
                        "the LSTM learning too; and ‖∂f/∂h₁‖, the gradient reaching the first "
                        "step, far larger in the LSTM.",
                network=rnn, x=x.tolist(), y=first.reshape(m, 1).tolist(), lr=0.2,
                view="rnn-task", train_steps=500, clip=clip,
                variants=[{"name": "plain RNN", "network": rnn, "clip": None, "expect": "fails"},
                          {"name": "RNN + clipping", "network": rnn, "clip": clip, "expect": "learns"},
                          {"name": "LSTM + clipping", "network": lstm, "clip": clip,
                           "expect": "learns"}])


def _hessian():
    return dict(
        title="Second order: Hessian-vector products",
        section="Hessian-vector product",
        description="Hv for any v costs about one more gradient (forward-over-reverse), never "
                    "forming H. Along the gradient it gives the curvature vᵀHv/vᵀv; power "
                    "iteration on Hv finds the top eigenvalue. For this tiny net (7 parameters) "
                    "the whole Hessian fits on screen, and one Newton step sits beside one "
                    "gradient step.",
        look_at="the curvature, the eigenvalues, and the Newton step against the gradient step.",
        network={"kind": "mlp", "sizes": [1, 2, 1], "activation": "tanh", "bias": True,
                 "loss": "mse", "params": {"W1": [[0.8], [-0.5]], "b1": [0.1, 0.2],
                                           "W2": [[0.6, -0.9]], "b2": [0.0]}},
        x=[[-1.0], [-0.3], [0.4], [1.0]], y=[[-0.6], [-0.2], [0.3], [0.7]], lr=0.1, view="hessian",
        power_iterations=30,
    )


# In the lecture's order.
PRESET_BUILDERS = {
    "why-backprop": _why_backprop,
    "linear-warmup": _linear_warmup,
    "tanh-mlp": _tanh_mlp,
    "two-moons": _two_moons,
    "diverging": _diverging,
    "deep-sigmoid": _deep_sigmoid,
    "skip-connection": _skip_connection,
    "two-branches": _two_branches,
    "conv1d": _conv1d,
    "tied-weights": _tied_weights,
    "rnn-vanishing": _rnn_vanishing,
    "rnn-exploding": _rnn_exploding,
    "rnn-clipping": _rnn_clipping,
    "rnn-truncated": _rnn_truncated,
    "lstm-vs-rnn": _lstm_vs_rnn,
    "remember-first": _remember_first,
    "hessian": _hessian,
}


def list_presets():
    return [{"name": name, **{k: build()[k] for k in ("title", "section", "description")}}
            for name, build in PRESET_BUILDERS.items()]


def get_preset(name):
    build = PRESET_BUILDERS.get(name)
    return None if build is None else {"name": name, **build()}
