import { test } from "node:test";
import assert from "node:assert/strict";
import { appendLosses, nextChunk, signAccuracy } from "../../static/js/scenes/rnntask/logic.js";

test("chunks cover the budget exactly", () => {
  assert.equal(nextChunk(0, 50, 20), 20);
  assert.equal(nextChunk(40, 50, 20), 10);
  assert.equal(nextChunk(50, 50, 20), 0);
});

test("a curve grows by each answer and names the first non-finite step", () => {
  const curve = [1, 0.9];
  assert.equal(appendLosses(curve, { loss_history: [0.8, 0.7] }), null);
  assert.deepEqual(curve, [1, 0.9, 0.8, 0.7]);
  assert.equal(appendLosses(curve, { loss_history: [5, Infinity, NaN] }), 5);
  // The loss after the last update overflowed: divergence set, every loss shown finite.
  assert.equal(appendLosses([], { loss_history: [1, 2], divergence: { step: 2 } }), 2);
});

test("accuracy counts predictions with the target's sign", () => {
  assert.equal(signAccuracy([[0.3], [-2], [0.1], [NaN]], [[1], [-1], [-1], [1]]), 0.5);
});

import { addSegment, openingScene, sameSegments, totalSteps } from "../../static/js/scenes/rnntask/settings.js";

test("the training record merges rounds at the same η and counts its steps", () => {
  let segments = addSegment([], 20, 0.2);
  segments = addSegment(segments, 20, 0.2);
  segments = addSegment(segments, 20, 0.1);
  assert.deepEqual(segments, [[40, 0.2], [20, 0.1]]);
  assert.equal(totalSteps(segments), 60);
  assert.ok(sameSegments(segments, [[40, 0.2], [20, 0.1]]) && sameSegments(undefined, []));
});

test("a link's record must fit the task's steps", () => {
  assert.deepEqual(openingScene({ segments: [[300, 0.2], [200, 0.1]] }, 500, null).notice, null);
  const over = openingScene({ segments: [[300, 0.2], [201, 0.1]] }, 500, null);
  assert.deepEqual(over.scene, { segments: [] });
  assert.match(over.notice, /records 501 steps, more than this task's 500/);
  assert.match(openingScene({ segments: [[0, 0.2]] }, 500, null).notice, /whole steps ≥ 1/);
  assert.match(openingScene({ segments: [[10, -1]] }, 500, null).notice, /η > 0/);
});
