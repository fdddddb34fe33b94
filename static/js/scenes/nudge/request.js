/**
 * The /nudge request for the scene's settings (nudge/settings.js): one entry by ±δ, or the
 * whole array by ±δ · ∂f/∂W / ‖∂f/∂W‖ (`grad`: the preset's param_grads). Pure: no DOM.
 */

import { scaled, unitLike } from "./sweep.js";

/** ±δ of the settings: 10^logDelta, negated when `negative`. */
export const signedDelta = (scene) => 10 ** scene.logDelta * (scene.negative ? -1 : 1);

/** The /nudge fields (beside the network and data) for `scene`, with a step of size `size`. */
export function nudgeFields(scene, grad, size = signedDelta(scene)) {
  if (scene.what === "entry") return { param: scene.param, delta: size, index: scene.index };
  return { param: scene.param, delta: scaled(unitLike(grad[scene.param]), size) };
}
