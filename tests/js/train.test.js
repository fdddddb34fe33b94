import { test } from "node:test";
import assert from "node:assert/strict";
import { checksum, grid2d, range, score } from "../../static/js/scenes/train/grid.js";
import { addLayer, chunkSteps, removeLayer, resize, sessionBody } from "../../static/js/scenes/train/arch.js";
import { keepSteps } from "../../static/js/scenes/train/setup.js";

test("grid covers the padded range, top row first", () => {
  const g = grid2d([[0, 0], [10, 20]], 4);
  assert.equal(g.points.length, 16);
  assert.deepEqual(range([[0], [10]], 0), [-1, 11]);
  assert.ok(g.points[0][1] > g.points[15][1]);
});

test("checksum sums every entry; score is the margin or the argmax", () => {
  assert.equal(checksum([[1, 2], [3.5, -1]]), 5.5);
  assert.equal(score([0.8]), 0.8 - 0.5);
  assert.equal(score([0.1, 3, 2]), 1);
});

test("architecture edits stay within the limits", () => {
  assert.deepEqual(addLayer([8, 8]), [8, 8, 8]);
  assert.deepEqual(addLayer([1, 1, 1, 1, 1, 1]), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(removeLayer([8, 8]), [8]);
  assert.deepEqual(resize([16, 1], 0, 1), [16, 1]);
  assert.deepEqual(resize([16, 1], 1, -1), [16, 1]);
  assert.ok(chunkSteps(0, 256) >= 10 && chunkSteps(0, 256) <= 25);
});

test("the session body follows the dataset's task", () => {
  const body = sessionBody({ kind: "mlp", params: {} }, { hidden: [4], activation: "relu", seed: 3 },
    { x: [[0, 1]], y: [0], loss: "cross_entropy", classes: 3 });
  assert.deepEqual(body.network.sizes, [2, 4, 3]);
  assert.equal(body.network.loss, "cross_entropy");
  assert.equal(body.network.params, undefined);
});

test("keepSteps rewinds the training record to a step, cutting the segment it falls in", () => {
  const segments = [[50, 5, 0, 0], [40, 2.5, 8, 1]];
  assert.deepEqual(keepSteps(segments, 70), [[50, 5, 0, 0], [20, 2.5, 8, 1]]);
  assert.deepEqual(keepSteps(segments, 50), [[50, 5, 0, 0]]);
  assert.deepEqual(keepSteps(segments, 0), []);
  assert.deepEqual(keepSteps(segments, 500), segments);
});
