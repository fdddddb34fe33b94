/**
 * A link's (or a restored snapshot's) scene settings, read field by field against the
 * scene's own: a missing field is the scene's default; a field that cannot be read is the
 * default too, and the notice names it. Never throws: a mistyped link still opens the scene.
 * Shared by the nudge, Hessian, graph, conv and RNN-task scenes. Pure: no DOM.
 */

/** The sentence a scene shows in its status line when a link's setup is (partly) refused. */
export const linkNotice = (reason) => `This link's setup could not be read: ${reason}. Showing the scene's own.`;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * {scene, notice}: `defaults` with every field of `linked` that its check accepts.
 * checks: {key: (value, sceneSoFar) => null | "why not"}, run in the order of `checks`, so a
 * field may be checked against one read before it (a nudge's index against its parameter).
 * `linkError`: the link's s= did not even decode (main.js's sentence).
 */
export function readLinked(linked, defaults, checks, linkError = null) {
  if (linkError) return { scene: { ...defaults }, notice: linkNotice(linkError) };
  if (linked === null || linked === undefined) return { scene: { ...defaults }, notice: null };
  if (!isObject(linked)) return { scene: { ...defaults }, notice: linkNotice("it is not a JSON object of settings") };
  const scene = { ...defaults };
  const problems = [];
  for (const [key, check] of Object.entries(checks)) {
    if (linked[key] === undefined) continue;
    const why = check(linked[key], scene);
    if (why) problems.push(`${key} ${why}`);
    else scene[key] = linked[key];
  }
  const foreign = Object.keys(linked).filter((key) => !(key in checks));
  if (foreign.length) problems.push(`this scene has no setting ${foreign.map((k) => JSON.stringify(k)).join(", ")}`);
  return { scene, notice: problems.length ? linkNotice(problems.join("; ")) : null };
}

/** A check: one of `allowed` (said by name when refused). */
export const oneOf = (allowed) => (value) => (allowed.includes(value) ? null
  : `is ${JSON.stringify(value)}, not one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);

/** A check: a whole number from lo to hi. */
export const wholeIn = (lo, hi) => (value) => (Number.isInteger(value) && value >= lo && value <= hi ? null
  : `is ${JSON.stringify(value)}, not a whole number from ${lo} to ${hi}`);

/** A check: true or false. */
export const yesNo = (value) => (typeof value === "boolean" ? null : `is ${JSON.stringify(value)}, not true or false`);
