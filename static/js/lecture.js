/**
 * The ten scenes of the lecture (shared/CLASSROOM.md) and the presets each one shows, in
 * order: digit keys 1–9 and 0 open scene 1–10, and the scene picker groups the presets
 * under them. Pure: no DOM.
 */

export const LECTURE = Object.freeze([
  { title: "Why backprop?", presets: ["why-backprop"] },
  { title: "Linear warm-up", presets: ["linear-warmup"] },
  { title: "The general case", presets: ["tanh-mlp"] },
  { title: "Training", presets: ["two-moons", "diverging"] },
  { title: "Deep sigmoid net", presets: ["deep-sigmoid"] },
  { title: "Acyclic graphs", presets: ["skip-connection", "two-branches"] },
  { title: "Weight sharing", presets: ["conv1d", "tied-weights"] },
  { title: "RNNs", presets: ["rnn-vanishing", "rnn-exploding"] },
  { title: "Fixes", presets: ["rnn-clipping", "rnn-truncated", "lstm-vs-rnn", "remember-first"] },
  { title: "Second order", presets: ["hessian"] },
]);

/** The lecture scene (0-based) a digit key opens: "1" → 0 … "9" → 8, "0" → 9; else null. */
export function sceneOfKey(key) {
  if (/^[1-9]$/.test(key)) return Number(key) - 1;
  return key === "0" ? 9 : null;
}

/** The digit that opens scene `index` (0-based): "1" … "9", then "0". */
export function keyOfScene(index) {
  return String((index + 1) % 10);
}

/**
 * [{label: "1 · Why backprop?", presets: [summary, …]}, …] for the picker: every preset the
 * server lists, under its lecture scene; presets of no scene (new ones) in a last group.
 */
export function lectureGroups(presets) {
  const byName = new Map(presets.map((p) => [p.name, p]));
  const groups = LECTURE.map((scene, i) => ({
    label: `${keyOfScene(i)} · ${scene.title}`,
    presets: scene.presets.filter((n) => byName.has(n)).map((n) => byName.get(n)),
  })).filter((g) => g.presets.length);
  const placed = new Set(LECTURE.flatMap((s) => s.presets));
  const others = presets.filter((p) => !placed.has(p.name));
  return others.length ? [...groups, { label: "More", presets: others }] : groups;
}
