/**
 * The Hessian scene's settings as the store keeps them (state.scene):
 *   v     the direction of Hv: "gradient" (∇f), "random" (drawn by the server from `seed`), or
 *         "e<j>" (the unit vector along the parameter entry j, in /hessian's `names` order)
 *   seed  the random direction's seed (New random v adds one)
 * Pure: no DOM.
 */

import { readLinked, wholeIn } from "../linked.js";
import { flatten } from "./vec.js";

export const MAX_SEED = 2 ** 31 - 1;

/** The preset's own settings, before any edit. */
export const defaultScene = () => ({ v: "gradient", seed: 0 });

/** The unit vector's entry j of a choice "e<j>", or -1 for the gradient or a random v. */
export const unitIndex = (choice) => (/^e\d+$/.test(choice) ? Number(choice.slice(1)) : -1);

function checkV(count) {
  return (v) => (v === "gradient" || v === "random" || (typeof v === "string" && unitIndex(v) >= 0 && unitIndex(v) < count)
    ? null : `is ${JSON.stringify(v)}, not "gradient", "random" or "e0" … "e${count - 1}"`);
}

/** What the scene opens with: {scene, notice} (notice: why some of a link's settings were not used). */
export function openingScene(linked, preset, linkError) {
  const count = flatten(preset.network.params).length;
  return readLinked(linked, defaultScene(), { v: checkV(count), seed: wholeIn(0, MAX_SEED) }, linkError);
}
