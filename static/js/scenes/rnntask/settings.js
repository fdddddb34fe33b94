/**
 * The remember-first task's setting as the store keeps it (state.scene):
 *   segments  the training done so far, [[steps, η], …] in order: every variant is trained the
 *             same steps at the same η (round by round, until it diverges), and full-batch
 *             /train is deterministic, so replaying the segments on fresh sessions gives the
 *             same curves, accuracies and gradient ratios
 * Pure: no DOM.
 */

import { readLinked } from "../linked.js";

// A bound on a link's record, so a crafted one cannot cost many requests.
export const MAX_SEGMENTS = 100;

/** Steps recorded by `segments`. */
export const totalSteps = (segments) => segments.reduce((sum, [steps]) => sum + steps, 0);

/** `segments` with `steps` more steps at η = `lr`, merged with the last when its η is the same. */
export function addSegment(segments, steps, lr) {
  const last = segments[segments.length - 1];
  if (last && last[1] === lr) return [...segments.slice(0, -1), [last[0] + steps, lr]];
  return [...segments, [steps, lr]];
}

/** Whether two records are the same training. */
export const sameSegments = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

function checkSegments(total) {
  return (segments) => {
    const ok = Array.isArray(segments) && segments.length <= MAX_SEGMENTS && segments.every((s) => Array.isArray(s)
      && s.length === 2 && Number.isInteger(s[0]) && s[0] >= 1 && typeof s[1] === "number" && Number.isFinite(s[1]) && s[1] > 0);
    if (!ok) return `is not a list of at most ${MAX_SEGMENTS} [steps, η] pairs (whole steps ≥ 1, η > 0)`;
    return totalSteps(segments) <= total ? null : `records ${totalSteps(segments)} steps, more than this task's ${total}`;
  };
}

/** What the scene opens with: {scene, notice}; `total`: the task's steps per variant. */
export function openingScene(linked, total, linkError) {
  return readLinked(linked, { segments: [] }, { segments: checkSegments(total) }, linkError);
}
