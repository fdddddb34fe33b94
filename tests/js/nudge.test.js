import { test } from "node:test";
import assert from "node:assert/strict";
import { logLabels, logSteps, remainderSlope, scaled, unitLike } from "../../static/js/scenes/nudge/sweep.js";

test("log steps run from 1 down to 1e-6, half a decade apart", () => {
  const d = logSteps();
  assert.equal(d.length, 13);
  assert.equal(d[0], 1);
  assert.ok(Math.abs(d[12] - 1e-6) < 1e-20);
  assert.ok(Math.abs(d[1] / d[2] - 10 ** 0.5) < 1e-12);
});

test("a quadratic remainder has slope 2, rounding noise outside the window is ignored", () => {
  const d = logSteps();
  const r = d.map((x) => (x < 1e-5 ? 1e-17 : x > 1e-2 ? 1e-9 : 0.3 * x * x));
  assert.ok(Math.abs(remainderSlope(d, r) - 2) < 1e-12);
  assert.equal(remainderSlope([1e-2], [1e-4]), null);
});

test("a unit vector along the gradient, scaled by δ", () => {
  const u = unitLike([[3, 0], [0, 4]]);
  assert.deepEqual(u, [[0.6, 0], [0, 0.8]]);
  assert.deepEqual(scaled(u, 10), [[6, 0], [0, 8]]);
});

test("log axis labels name the powers of ten only", () => {
  assert.deepEqual(logLabels(null, [1e-6, 3e-6, 0.01, 1, 1000]), ["1e−6", "", "0.01", "1", "1000"]);
});

import { openingScene } from "../../static/js/scenes/nudge/settings.js";
import { nudgeFields, signedDelta } from "../../static/js/scenes/nudge/request.js";

const nudgePreset = { network: { params: { W1: [[1, 2], [3, 4], [5, 6]], b1: [0, 0, 0] } } };

test("a link's nudge settings are kept when they read, and the entry follows the parameter", () => {
  const { scene, notice } = openingScene({ param: "b1", logDelta: -3.5, negative: true }, nudgePreset, null);
  assert.equal(notice, null);
  assert.deepEqual(scene, { param: "b1", index: [0], what: "entry", logDelta: -3.5, negative: true, eps: 1e-6 });
});

test("a foreign nudge setting falls back to the preset's own and is named", () => {
  const { scene, notice } = openingScene({ param: "W1", index: [3, 0], logDelta: -0.1, eps: 0.5, t: 4 }, nudgePreset, null);
  assert.deepEqual(scene.index, [0, 0]);
  assert.equal(scene.logDelta, -2);
  assert.equal(scene.eps, 1e-6);
  assert.match(notice, /index is \[3,0\], not an entry of W1/);
  assert.match(notice, /logDelta is -0\.1/);
  assert.match(notice, /no setting "t"/);
  assert.match(openingScene(null, nudgePreset, "it is damaged").notice, /could not be read: it is damaged/);
  assert.match(openingScene([1], nudgePreset, null).notice, /not a JSON object/);
});

test("the nudge request is one entry by ±δ or the whole array along the gradient", () => {
  const scene = { param: "W1", index: [2, 1], what: "entry", logDelta: -1, negative: true, eps: 1e-6 };
  assert.ok(Math.abs(signedDelta(scene) + 0.1) < 1e-15);
  assert.deepEqual(nudgeFields(scene, null), { param: "W1", delta: signedDelta(scene), index: [2, 1] });
  const grad = { W1: [[3, 0], [0, 0], [0, 4]] };
  const whole = nudgeFields({ ...scene, what: "matrix", negative: false }, grad);
  assert.equal(whole.index, undefined);
  assert.ok(Math.abs(whole.delta[0][0] - 0.06) < 1e-15 && Math.abs(whole.delta[2][1] - 0.08) < 1e-15);
});
