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
