/**
 * What the stage marks as "not computed yet" when numbers are hidden until reached (the
 * store's hide): the nodes whose number the colouring shows — values in the forward pass and
 * the update, gradients in the backward pass — that a later step of this iteration's pass
 * will compute. Given leaves (inputs, parameters) and gradients no step computes (an input
 * read once, the target y) are never pending: nothing is coming for them. Pure.
 */

import { passSteps } from "../timeline.js";

/** The ids pending at `view` (a Set; empty when view.hide is off). */
export function pendingNodes(view) {
  const { hide, trace, revealed, colourBy, step } = view;
  if (!hide || !step || step.phase === "update") return new Set();
  const phase = colourBy === "grad" ? "backward" : "forward";
  const known = phase === "backward" ? revealed.grads : revealed.values;
  const coming = passSteps(step.iteration, trace).filter((s) => s.phase === phase).map((s) => s.node);
  return new Set(coming.filter((id) => !known.has(id)));
}

/**
 * Whether the loss after this update may be shown: it is f at the updated parameters, so
 * with numbers hidden it waits for the last parameter's update step.
 */
export function lossAfterReached(view) {
  const { hide, step, iteration, revealed } = view;
  if (step?.phase !== "update" || !iteration?.update) return false;
  if (!hide) return true;
  return Object.keys(iteration.update.params).every((name) => revealed.updated.has(name));
}
