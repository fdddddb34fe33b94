/**
 * The Hessian scene's questions to the API (no DOM): Hv for the setting v, and the loss
 * after one gradient step beside one Newton step. `body`: the preset's network and data.
 */

import { unitIndex } from "./settings.js";
import { gradientStep, unitVector } from "./vec.js";

/** /hvp along the setting `choice` ("gradient", "random" from `seed`, or "e<j>"). */
export function hvFor(api, body, like, { v: choice, seed }) {
  if (choice === "gradient") return api.hvp({ ...body, direction: "gradient", check: true });
  if (choice === "random") return api.hvp({ ...body, direction: "random", seed, check: true });
  return api.hvp({ ...body, v: unitVector(like, unitIndex(choice)), check: true });
}

/** Loss after θ − η∇f (a /backprop at the new θ) and after θ + Newton's step. */
export async function newtonBeside(api, body, preset) {
  const [trace, newton] = await Promise.all([api.backprop(body), api.newton(body)]);
  const params = preset.network.params;
  const withParams = (p) => ({ ...body, network: { ...body.network, params: p }, detail: "gradients" });
  const afterGrad = await api.backprop(withParams(gradientStep(params, trace.param_grads, preset.lr)));
  return { before: trace.loss, lr: preset.lr, gradient: afterGrad.loss, newton };
}
