/**
 * What the RNN scene asks the API for: the preset's network with the user's ρ, activation
 * and T applied, and a sequence of the new length. Pure: no DOM.
 *
 * Sequence rule (documented for script users): a new length T takes the preset's x (and y,
 * for the per-step loss mse_all) cyclically — step t uses the preset's step ((t − 1) mod T₀)
 * — so shortening trims and lengthening repeats, deterministically.
 */

export const RHO = Object.freeze({ min: 0.1, max: 3, step: 0.05 });
// The slider covers 5 … 300; the number box beside it takes up to 1500 (the ρ = 3,
// T = 1500 run, which overflows even in the forward pass).
export const STEPS = Object.freeze({ min: 5, max: 300, step: 1, typedMax: 1500 });
export const ACTIVATIONS = Object.freeze(["tanh", "sigmoid", "relu", "identity"]);
// Above this T the per-use contribution arrays are left out (detail "summary"); the norms
// per step stay in contribution_norms, and the answer stays small while dragging.
export const FULL_DETAIL_MAX_STEPS = 60;

/** (m, T₀, k) -> (m, T, k): each example's steps taken cyclically. */
export function resizeSequence(sequence, steps) {
  return sequence.map((example) =>
    Array.from({ length: steps }, (_, t) => example[t % example.length].slice()));
}

/** The user's starting choice: the preset's own ρ, activation and T. */
export function initialChoice(preset) {
  const net = preset.network;
  return {
    rho: net.recurrent_spectral_norm ?? 1,
    activation: net.activation ?? "tanh",
    steps: net.steps,
  };
}

/** True when ρ and the activation apply: the vanilla cell (the LSTM has fixed gates). */
export function isVanilla(network) {
  return (network.cell ?? "rnn") === "rnn";
}

/** The preset's network with the user's choice applied (ρ and activation for vanilla cells). */
export function sceneNetwork(preset, choice) {
  const network = { ...preset.network, steps: choice.steps };
  if (isVanilla(network)) {
    network.recurrent_spectral_norm = choice.rho;
    network.activation = choice.activation;
  }
  if (network.truncate != null) network.truncate = Math.min(network.truncate, choice.steps);
  return network;
}

/** The exact /backprop body the chart shows (no clip: the clipping panel asks for its own). */
export function requestBody(preset, choice) {
  const network = sceneNetwork(preset, choice);
  const perStep = network.loss === "mse_all";
  const body = {
    network,
    x: resizeSequence(preset.x, choice.steps),
    y: perStep ? resizeSequence(preset.y, choice.steps) : preset.y,
  };
  if (choice.steps > FULL_DETAIL_MAX_STEPS) body.detail = "summary";
  return body;
}

/** ρ snapped to the slider's grid and range (keyboard, typed numbers and links alike). */
export function snapRho(value) {
  const snapped = Math.round(value / RHO.step) * RHO.step;
  return Number(Math.min(RHO.max, Math.max(RHO.min, snapped)).toFixed(2));
}

/** T from the number box: an integer within 5 … 1500, or null while the text is not one. */
export function parseSteps(text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < STEPS.min || value > STEPS.typedMax) return null;
  return value;
}

/**
 * A link's (or a snapshot's) setup {rho, activation, steps} checked against the controls'
 * ranges: a missing field keeps the preset's own value, ρ is snapped to the slider's grid, and
 * a field out of range throws an Error naming it and the values it may take.
 */
export function readChoice(setup, preset) {
  const choice = initialChoice(preset);
  const given = (key) => setup?.[key] !== undefined;
  if (given("rho")) {
    if (!Number.isFinite(setup.rho) || setup.rho < RHO.min || setup.rho > RHO.max) {
      throw new Error(`rho is ${JSON.stringify(setup.rho)}, not a number from ${RHO.min} to ${RHO.max}`);
    }
    choice.rho = snapRho(setup.rho);
  }
  if (given("activation")) {
    if (!ACTIVATIONS.includes(setup.activation)) {
      throw new Error(`activation is ${JSON.stringify(setup.activation)}, not one of ${ACTIVATIONS.join(", ")}`);
    }
    choice.activation = setup.activation;
  }
  if (given("steps")) {
    choice.steps = parseSteps(String(setup.steps));
    if (choice.steps === null || typeof setup.steps !== "number") {
      throw new Error(`steps is ${JSON.stringify(setup.steps)}, not a whole number from ${STEPS.min} to ${STEPS.typedMax}`);
    }
  }
  return choice;
}
