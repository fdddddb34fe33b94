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
