/**
 * The fixes' sub-panels' settings as the store keeps them (state.scene), their defaults from
 * the preset, and the check a link's copy goes through. Pure: no DOM.
 *   clip:     {mode: "off" | "norm" | "value", c: the threshold, norm: 2 | "inf"}
 *             (the clipping panel; c and the norm type are kept while clipping is off)
 *   truncate: the truncation panel's window k (k ≥ T is full backprop through time)
 */

import { STEPS } from "../spec.js";

export const CLIP_MODES = Object.freeze(["off", "norm", "value"]);
export const NORM_TYPES = Object.freeze([2, "inf"]);
// The threshold slider moves in log10 steps over 0.01 … 100.
export const THRESHOLD = Object.freeze({ logMin: -2, logMax: 2, logStep: 0.05 });

/** True when the preset shows the clipping panel (and so has a `clip` setting). */
export const hasClip = (preset) => preset.clip != null;
/** True when the preset shows the truncation panel (and so has a `truncate` setting). */
export const hasTruncate = (preset) => preset.network?.truncate != null;

/** A threshold as the slider shows it: on its log grid, to three significant digits. */
export function snapThreshold(c) {
  const log = Math.round(Math.log10(c) / THRESHOLD.logStep) * THRESHOLD.logStep;
  const clamped = Math.min(THRESHOLD.logMax, Math.max(THRESHOLD.logMin, log));
  return Number((10 ** clamped).toPrecision(3));
}

/** The preset's own panel settings: only the keys of the panels it shows. */
export function fixDefaults(preset) {
  const out = {};
  if (hasClip(preset)) {
    const { mode, clip_value: value, max_norm: maxNorm, norm_type: norm } = preset.clip;
    out.clip = { mode, c: snapThreshold((mode === "value" ? value : maxNorm) ?? 1), norm: norm ?? 2 };
  }
  if (hasTruncate(preset)) out.truncate = preset.network.truncate;
  return out;
}

function readClip(clip) {
  const bad = (what) => new Error(`clip ${what}`);
  if (clip === null || typeof clip !== "object" || Array.isArray(clip)) throw bad("is not an object {mode, c, norm}");
  if (!CLIP_MODES.includes(clip.mode)) throw bad(`mode is ${JSON.stringify(clip.mode)}, not one of ${CLIP_MODES.join(", ")}`);
  const [lo, hi] = [10 ** THRESHOLD.logMin, 10 ** THRESHOLD.logMax];
  if (!Number.isFinite(clip.c) || clip.c < lo || clip.c > hi) {
    throw bad(`threshold c is ${JSON.stringify(clip.c)}, not a number from ${lo} to ${hi}`);
  }
  if (!NORM_TYPES.includes(clip.norm)) throw bad(`norm is ${JSON.stringify(clip.norm)}, not 2 or "inf"`);
  return { mode: clip.mode, c: snapThreshold(clip.c), norm: clip.norm };
}

function readTruncate(k) {
  if (!Number.isInteger(k) || k < 1 || k > STEPS.typedMax) {
    throw new Error(`truncate is ${JSON.stringify(k)}, not a whole number from 1 to ${STEPS.typedMax}`);
  }
  return k;
}

/**
 * The panels' settings of a link's `setup`: each one given is checked (an Error names the
 * field and its allowed values), each one missing keeps the preset's own.
 */
export function readFixes(setup, preset) {
  const out = fixDefaults(preset);
  if (out.clip && setup?.clip !== undefined) out.clip = readClip(setup.clip);
  if (out.truncate !== undefined && setup?.truncate !== undefined) out.truncate = readTruncate(setup.truncate);
  return out;
}

/** The contract's clip object for the setting, or null when clipping is off. */
export function clipRequest({ mode, c, norm }) {
  if (mode === "norm") return { mode, max_norm: c, norm_type: norm };
  return mode === "value" ? { mode, clip_value: c } : null;
}

/** The window the request uses: null (full BPTT) once k reaches T. */
export const truncateFor = (k, steps) => (k >= steps ? null : k);
