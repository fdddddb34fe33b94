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

test("the panels' settings start from the preset's, only for the panels it shows", async () => {
  const { fixDefaults } = await import("../../static/js/scenes/rnn/fixes/settings.js");
  const clipping = { clip: { mode: "norm", max_norm: 1.0, norm_type: 2 }, network: { truncate: null } };
  assert.deepEqual(fixDefaults(clipping), { clip: { mode: "norm", c: 1, norm: 2 } });
  assert.deepEqual(fixDefaults({ clip: { mode: "value", clip_value: 0.5 }, network: {} }).clip, { mode: "value", c: 0.501, norm: 2 });
  assert.deepEqual(fixDefaults({ network: { truncate: 5 } }), { truncate: 5 });
  assert.deepEqual(fixDefaults({ network: { truncate: null } }), {});
});

test("a link's panel settings are checked, and each refusal names the field", async () => {
  const { readFixes } = await import("../../static/js/scenes/rnn/fixes/settings.js");
  const preset = { clip: { mode: "norm", max_norm: 1.0, norm_type: 2 }, network: { truncate: 5 } };
  assert.deepEqual(readFixes({ clip: { mode: "value", c: 0.1, norm: "inf" }, truncate: 12 }, preset),
    { clip: { mode: "value", c: 0.1, norm: "inf" }, truncate: 12 });
  assert.deepEqual(readFixes({}, preset), { clip: { mode: "norm", c: 1, norm: 2 }, truncate: 5 });
  assert.throws(() => readFixes({ clip: { mode: "max", c: 1, norm: 2 } }, preset), /clip mode is "max", not one of off, norm, value/);
  assert.throws(() => readFixes({ clip: { mode: "norm", c: 1000, norm: 2 } }, preset), /threshold c is 1000, not a number from 0.01 to 100/);
  assert.throws(() => readFixes({ clip: { mode: "norm", c: 1, norm: 3 } }, preset), /clip norm is 3/);
  assert.throws(() => readFixes({ truncate: 0 }, preset), /truncate is 0, not a whole number from 1 to 1500/);
  // A setting of a panel this preset does not show is not read at all.
  assert.deepEqual(readFixes({ truncate: "x" }, { network: { truncate: null } }), {});
});

test("the threshold sits on the slider's log grid; the request's clip and window follow the setting", async () => {
  const { clipRequest, snapThreshold, truncateFor } = await import("../../static/js/scenes/rnn/fixes/settings.js");
  assert.equal(snapThreshold(0.1), 0.1);
  assert.equal(snapThreshold(10 ** 0.05), 1.12);
  assert.equal(snapThreshold(snapThreshold(10 ** 0.05)), 1.12, "a snapped threshold stays put");
  assert.equal(snapThreshold(1e6), 100);
  assert.deepEqual(clipRequest({ mode: "norm", c: 2, norm: "inf" }), { mode: "norm", max_norm: 2, norm_type: "inf" });
  assert.deepEqual(clipRequest({ mode: "value", c: 0.1, norm: 2 }), { mode: "value", clip_value: 0.1 });
  assert.equal(clipRequest({ mode: "off", c: 1, norm: 2 }), null);
  assert.equal(truncateFor(5, 30), 5);
  assert.equal(truncateFor(30, 30), null);
  assert.equal(truncateFor(40, 30), null);
});
