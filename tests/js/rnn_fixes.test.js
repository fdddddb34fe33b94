import { test } from "node:test";
import assert from "node:assert/strict";
import { cosine, degrees, flatten, maxAbs, norm2 } from "../../static/js/scenes/rnn/fixes/vectors.js";
import { bodyFor, droppedCount, kept } from "../../static/js/scenes/rnn/fixes/body.js";

test("a gradient flattens in the given parameter order", () => {
  assert.deepEqual(flatten({ W: [[1, 2], [3, 4]], b: [5] }, ["b", "W"]), [5, 1, 2, 3, 4]);
});

test("norm clipping keeps the direction, value clipping turns it", () => {
  const g = [10, 1, -0.5];
  const byNorm = g.map((x) => x * 0.2);
  const byValue = g.map((x) => Math.max(-1, Math.min(1, x)));
  assert.equal(norm2([3, 4]), 5);
  assert.ok(Math.abs(cosine(g, byNorm) - 1) < 1e-15);
  assert.ok(cosine(g, byValue) < 0.8);
  assert.ok(Math.abs(degrees(cosine([1, 0], [0, 1])) - 90) < 1e-12);
});

test("a gradient without a direction has no cosine", () => {
  assert.equal(cosine([0, 0], [1, 2]), null);
  assert.equal(cosine([Infinity, 1], [1, 2]), null);
  assert.equal(maxAbs([1, -3, 2]), 3);
  assert.equal(maxAbs([1, NaN]), Infinity);
});

test("truncation keeps term s at steps s … s−k+1 only", () => {
  assert.ok(kept(10, 10, 1) && !kept(10, 9, 1));
  assert.ok(kept(10, 6, 5) && !kept(10, 5, 5));
  assert.ok(kept(10, 1, null) && !kept(3, 4, null));
  // mse_all, T = 30, k = 5: 465 (s, t) pairs, of which each s keeps min(s, 5).
  assert.deepEqual(droppedCount(30, 5, true), { total: 465, dropped: 465 - (1 + 2 + 3 + 4 + 5 * 26) });
  assert.deepEqual(droppedCount(30, 5, false), { total: 30, dropped: 25 });
  assert.deepEqual(droppedCount(30, null, true).dropped, 0);
});

test("a panel's body follows the chart's sequence rule", () => {
  const preset = { x: [[[1], [2], [3]]], y: [[[0], [1], [2]]] };
  const body = bodyFor(preset, { steps: 5, loss: "mse_all" }, { clip: { mode: "value", clip_value: 1 } });
  assert.deepEqual(body.x, [[[1], [2], [3], [1], [2]]]);
  assert.deepEqual(body.y, [[[0], [1], [2], [0], [1]]]);
  assert.deepEqual(body.clip, { mode: "value", clip_value: 1 });
  assert.equal(body.detail, undefined);
  assert.equal(bodyFor(preset, { steps: 100, loss: "mse_last" }).detail, "summary");
});
