/**
 * The nudge scene's settings as the store keeps them (state.scene), so a link, a reload or a
 * restored snapshot reopens the same nudge:
 *   param     the parameter nudged (a name of the preset's params)
 *   index     the entry nudged, as /nudge takes it: [i, j] in a matrix, [j] in a vector
 *   what      "entry" (that entry by δ) or "matrix" (the whole array along ∂f/∂W)
 *   logDelta  log10 δ, from −6 to 0 in quarters; negative: nudge by −δ instead
 *   eps       the gradient check's ε (one of EPSILONS)
 * Pure: no DOM.
 */

import { oneOf, readLinked, yesNo } from "../linked.js";

export const EPSILONS = [1e-2, 1e-4, 1e-6, 1e-8, 1e-10];
export const LOG_DELTA = { min: -6, max: 0, step: 0.25 };
export const WHAT = ["entry", "matrix"];

const isMatrix = (value) => Array.isArray(value[0]);

/** The first entry of a parameter's array, as /nudge indexes it. */
export const firstIndex = (value) => (isMatrix(value) ? [0, 0] : [0]);

/** Whether `index` names an entry of the array `value`. */
export function holds(value, index) {
  const dims = isMatrix(value) ? [value.length, value[0].length] : [value.length];
  return Array.isArray(index) && index.length === dims.length
    && index.every((i, d) => Number.isInteger(i) && i >= 0 && i < dims[d]);
}

/** The preset's own settings, before any edit. */
export function defaultScene(preset) {
  const param = Object.keys(preset.network.params)[0];
  return { param, index: firstIndex(preset.network.params[param]), what: "entry", logDelta: -2, negative: false, eps: 1e-6 };
}

function checks(params) {
  return {
    param: oneOf(Object.keys(params)),
    index: (index, scene) => (holds(params[scene.param], index) ? null
      : `is ${JSON.stringify(index)}, not an entry of ${scene.param}`),
    what: oneOf(WHAT),
    logDelta: (v) => (typeof v === "number" && v >= LOG_DELTA.min && v <= LOG_DELTA.max && Number.isInteger(v / LOG_DELTA.step)
      ? null : `is ${JSON.stringify(v)}, not a multiple of ${LOG_DELTA.step} from ${LOG_DELTA.min} to ${LOG_DELTA.max}`),
    negative: yesNo,
    eps: oneOf(EPSILONS),
  };
}

/** What the scene opens with: {scene, notice} (notice: why some of a link's settings were not used). */
export function openingScene(linked, preset, linkError) {
  const params = preset.network.params;
  const { scene, notice } = readLinked(linked, defaultScene(preset), checks(params), linkError);
  // A link that changes the parameter but not the entry: the new parameter's first entry.
  if (!holds(params[scene.param], scene.index)) scene.index = firstIndex(params[scene.param]);
  return { scene, notice };
}
