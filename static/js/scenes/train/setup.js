/**
 * What a training share link holds: the edited network (hidden sizes, activation, seed of
 * the initial weights), the data (the preset's own, a built-in dataset by name, n, noise
 * and seed, or a small uploaded CSV), the controls, and the training done so far as
 * segments [steps, η, batch, clip]: /train is deterministic for a given sequence of
 * calls, so replaying the segments reproduces the same weights, loss and step. Pure.
 */

import { LIMITS } from "./arch.js";
import { ACTIVATIONS, BATCHES, DATASETS } from "./panel.js";

export const SETUP_VERSION = 1;
// Replaying a link must stay a matter of seconds on a classroom laptop.
export const MAX_REPLAY_STEPS = 50000;

/** Segments with `steps` more steps at (lr, batch, clip), merged with the last when equal. */
export function addSegment(segments, steps, lr, batch, clip) {
  if (!(steps > 0)) return segments;
  const last = segments[segments.length - 1];
  if (last && last[1] === lr && last[2] === batch && last[3] === (clip ? 1 : 0)) {
    return [...segments.slice(0, -1), [last[0] + steps, lr, batch, last[3]]];
  }
  return [...segments, [steps, lr, batch, clip ? 1 : 0]];
}

/** The first `steps` steps of `segments` (a run rewound to its step `steps`). */
export function keepSteps(segments, steps) {
  const out = [];
  let left = steps;
  for (const [n, lr, batch, clip] of segments) {
    if (left <= 0) break;
    out.push([Math.min(n, left), lr, batch, clip]);
    left -= n;
  }
  return out;
}

/** The setup of the scene state `s` (see training.js) for preset `name`: what the store
 * holds as the scene's settings. η is not in it: it is the page's own (the store's lr). */
export function setupOf(s, name) {
  const out = {
    v: SETUP_VERSION, preset: name, hidden: s.hidden, activation: s.activation, seed: s.seed,
    batch: s.batch, clip: Boolean(s.clip), source: s.source, segments: s.segments, dataset: s.dataset,
  };
  if (s.source === "csv") out.data = { x: s.data.x, y: s.data.y, loss: s.data.loss };
  return out;
}

function check(ok, what) {
  if (!ok) throw new Error(`its ${what} is not valid`);
}

const isInt = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
const isPositive = (v) => typeof v === "number" && Number.isFinite(v) && v > 0;
const isMatrix = (m) => Array.isArray(m) && m.length > 0 && m.length <= 1000
  && m.every((r) => Array.isArray(r) && r.length === m[0].length && r.every(Number.isFinite));

function checkDataset(d) {
  check(d && DATASETS.includes(d.name), "dataset");
  check(isInt(d.n, 4, 1000) && typeof d.noise === "number" && d.noise >= 0 && d.noise <= 2
    && isInt(d.seed ?? 0, 0, 2 ** 31), "dataset size, noise or seed");
}

function checkSegments(segments) {
  check(Array.isArray(segments) && segments.length <= 1000, "training record");
  let total = 0;
  for (const seg of segments) {
    check(Array.isArray(seg) && seg.length === 4 && isInt(seg[0], 1, MAX_REPLAY_STEPS) && isPositive(seg[1])
      && BATCHES.includes(seg[2]) && (seg[3] === 0 || seg[3] === 1), "training record");
    total += seg[0];
  }
  check(total <= MAX_REPLAY_STEPS, `number of steps (${total}; at most ${MAX_REPLAY_STEPS})`);
}

/** The setup read from a link for preset `name`, checked field by field; throws a sentence. */
export function readSetup(setup, name) {
  check(setup.v === SETUP_VERSION, "version");
  if (setup.preset !== name) throw new Error(`it was made for the scene "${setup.preset}"`);
  check(Array.isArray(setup.hidden) && setup.hidden.length <= LIMITS.maxLayers
    && setup.hidden.every((h) => isInt(h, LIMITS.minUnits, LIMITS.maxUnits)), "architecture");
  check(ACTIVATIONS.includes(setup.activation), "activation");
  check(isInt(setup.seed, 0, 2 ** 31), "weight seed");
  // η: links made before the page had one η carry their own.
  check((setup.lr === undefined || isPositive(setup.lr)) && BATCHES.includes(setup.batch)
    && [0, 1, false, true].includes(setup.clip), "learning rate, batch or clipping");
  check(["preset", "dataset", "csv"].includes(setup.source), "data source");
  if (setup.source === "dataset") checkDataset(setup.dataset);
  if (setup.source === "csv") {
    const d = setup.data;
    const finiteRows = (m) => Array.isArray(m) && m.length === d.x.length && m.flat().every(Number.isFinite);
    check(d && isMatrix(d.x) && finiteRows(d.y) && ["mse", "cross_entropy"].includes(d.loss), "uploaded data");
  }
  checkSegments(setup.segments);
  return { ...setup, clip: setup.clip === 1 || setup.clip === true };
}
