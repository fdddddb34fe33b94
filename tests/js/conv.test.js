import { test } from "node:test";
import assert from "node:assert/strict";
import { patchTerms } from "../../static/js/scenes/conv/patches.js";

// out[b, j] = Σ_i x[b, j+i] w[i] with x (2, 4), w (2): three patches.
const trace = {
  graph: { nodes: [{ id: "x", op: "input", inputs: [] }, { id: "w", op: "param", inputs: [] },
    { id: "out", op: "conv1d", inputs: ["x", "w"] }] },
  values: { x: [[1, 2, 3, 4], [-1, 0, 2, 5]], w: [0.5, -1] },
  grads: { out: [[1, 0.5, -2], [2, 1, 0.25]] },
};

test("each patch's term sums ∂f/∂out[b, j] · x[b, j:j+k] over the batch rows", () => {
  const { k, patches } = patchTerms(trace);
  assert.equal(k, 2);
  assert.equal(patches.length, 3);
  assert.deepEqual(patches[0].examples.map((e) => e.product), [[1, 2], [-2, 0]]);
  assert.deepEqual(patches[0].term, [-1, 2]);
  assert.deepEqual(patches[1].term, [1 + 0, 1.5 + 2]);
  assert.deepEqual(patches[2].examples[1].window, [2, 5]);
});

test("the running sum after the last patch is ∂f/∂w = Σ_j term_j", () => {
  const { patches } = patchTerms(trace);
  // Dyadic numbers: exact in binary, so the sums are exact.
  assert.deepEqual(patches.at(-1).running, [-1 + 1 + (-6 + 0.5), 2 + 3.5 + (-8 + 1.25)]);
});

import { openingScene } from "../../static/js/scenes/conv/settings.js";

test("a link's patch is null or one of the kernel's patches", () => {
  assert.deepEqual(openingScene({ patch: 2 }, 3, null), { scene: { patch: 2 }, notice: null });
  assert.deepEqual(openingScene({ patch: null }, 3, null).scene, { patch: null });
  const { scene, notice } = openingScene({ patch: 3 }, 3, null);
  assert.equal(scene.patch, null);
  assert.match(notice, /patch is 3, not null or a patch from 0 to 2/);
});
