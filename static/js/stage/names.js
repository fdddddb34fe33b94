/**
 * The names the stage writes for graph nodes, shared by the op view, the tooltip and the
 * formula panel so the three never disagree: the lecture's symbols (format.js symbolOf),
 * with an RNN's output yhat_t written ŷ_t ("yhat10" -> "ŷ₁₀"). Pure.
 */

import { symbolOf } from "../format.js";

/** ŷ as one precomposed character (U+0177), as the stage's labels write it. */
export const YHAT = "\u0177";
const HAT_ID = /^yhat(?=\d*$)/;

/** "yhat10" -> "ŷ₁₀", "z2" -> "z₂", "loss" -> "f". */
export function stageSymbol(id) {
  return HAT_ID.test(id) ? symbolOf(id).replace(/^yhat/, YHAT) : symbolOf(id);
}

/** "∂f/∂ŷ₁₀": the gradient's name, as the tooltip and the narration read it. */
export function stageGradSymbol(id) {
  return `∂f/∂${stageSymbol(id)}`;
}

/** A node id inside a sentence ("via yhat3" -> "via ŷ3"), the id kept otherwise. */
export function stageId(id) {
  return String(id).replace(HAT_ID, YHAT);
}
