/**
 * The conv scene's one setting as the store keeps it (state.scene):
 *   patch  the patch shown, 0 … J−1 (null: none yet; stepping to a new iteration clears it)
 * Pure: no DOM.
 */

import { readLinked } from "../linked.js";

/** What the scene opens with for a kernel slid over `count` patches: {scene, notice}. */
export function openingScene(linked, count, linkError) {
  const patch = (j) => (j === null || (Number.isInteger(j) && j >= 0 && j < count) ? null
    : `is ${JSON.stringify(j)}, not null or a patch from 0 to ${count - 1}`);
  return readLinked(linked, { patch: null }, { patch }, linkError);
}
