/**
 * The RNN scene's settings as the store keeps them (state.scene): everything the scene and
 * its fixes' panels show, as plain JSON, so a link, a reload or a snapshot reopens it.
 *   rho, activation, steps  ρ = ‖W_hh‖₂, the activation b and T (links from before kept these)
 *   t                       where the backward walk stands (null: idle, every step shown)
 *   clip, truncate          the fixes' panels' settings (fixes/settings.js), when shown
 * Pure: no DOM.
 */

import { initialChoice, readChoice } from "./spec.js";
import { fixDefaults, readFixes } from "./fixes/settings.js";

/** The preset's own settings, before any edit. */
export function defaultScene(preset) {
  return { ...initialChoice(preset), t: null, ...fixDefaults(preset) };
}

/** A walk position for T steps: a whole t in 1 … T, or null. */
export function readWalk(t, steps) {
  if (t === undefined || t === null) return null;
  if (!Number.isInteger(t) || t < 1 || t > steps) {
    throw new Error(`t is ${JSON.stringify(t)}, not null or a whole step from 1 to T = ${steps}`);
  }
  return t;
}

/** The walk position `t` if T = `steps` has it, else idle (a T changed since it was set). */
export const fitWalk = (t, steps) => (Number.isInteger(t) && t >= 1 && t <= steps ? t : null);

/**
 * A link's (or a snapshot's) settings, each given field checked and each missing one the
 * preset's own; throws an Error naming the first field that cannot be read.
 */
export function readScene(setup, preset) {
  if (setup === null || typeof setup !== "object" || Array.isArray(setup)) {
    throw new Error("it is not a JSON object of settings");
  }
  const choice = readChoice(setup, preset);
  return { ...choice, t: readWalk(setup.t, choice.steps), ...readFixes(setup, preset) };
}

/** The sentence shown when a link's setup is refused (`reason` says why). */
export const linkProblem = (reason) => `This link's setup could not be read: ${reason}. Showing the scene's own.`;

/**
 * What the scene opens with: the link's settings if they read, else the preset's own and
 * the sentence that says so (`linkError`: the link's `s=` did not even decode).
 */
export function openingScene(linked, preset, linkError) {
  if (linkError) return { scene: defaultScene(preset), notice: linkProblem(linkError) };
  if (linked === null || linked === undefined) return { scene: defaultScene(preset), notice: null };
  try {
    return { scene: readScene(linked, preset), notice: null };
  } catch (err) {
    return { scene: defaultScene(preset), notice: linkProblem(err.message) };
  }
}
