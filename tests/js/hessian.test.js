import { test } from "node:test";
import assert from "node:assert/strict";
import { dot, flatten, gradientStep, unflatten, unitVector } from "../../static/js/scenes/hessian/vec.js";

const like = { W1: [[0.8], [-0.5]], b1: [0.1, 0.2], W2: [[0.6, -0.9]], b2: [0] };

test("parameters flatten in order, row-major, and back", () => {
  const flat = flatten(like);
  assert.deepEqual(flat, [0.8, -0.5, 0.1, 0.2, 0.6, -0.9, 0]);
  assert.deepEqual(unflatten(flat, like), like);
});

test("e_j is 1 at flat position j only", () => {
  assert.deepEqual(flatten(unitVector(like, 4)), [0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual(unitVector(like, 2).b1, [1, 0]);
});

test("a gradient step and a dot product", () => {
  const g = unflatten([1, 1, 1, 1, 1, 1, 1], like);
  const stepped = flatten(gradientStep(like, g, 0.5));
  [0.3, -1, -0.4, -0.3, 0.1, -1.4, -0.5].forEach((x, i) => assert.ok(Math.abs(stepped[i] - x) < 1e-15));
  assert.equal(dot([1, 2], [3, 4]), 11);
});

import { openingScene, unitIndex } from "../../static/js/scenes/hessian/settings.js";

test("a link's v is the gradient, a random v or a unit vector the network has", () => {
  const preset = { network: { params: like } };
  assert.deepEqual(openingScene({ v: "e6", seed: 5 }, preset, null), { scene: { v: "e6", seed: 5 }, notice: null });
  const { scene, notice } = openingScene({ v: "e7", seed: -1 }, preset, null);
  assert.deepEqual(scene, { v: "gradient", seed: 0 });
  assert.match(notice, /v is "e7", not "gradient", "random" or "e0" … "e6"/);
  assert.match(notice, /seed is -1, not a whole number/);
  assert.equal(unitIndex("e12"), 12);
  assert.equal(unitIndex("random"), -1);
});
