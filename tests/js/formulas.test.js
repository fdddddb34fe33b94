import { test } from "node:test";
import assert from "node:assert/strict";
import { formulaFor } from "../../static/js/formulas/index.js";
import { matrix, mn, truncatedIndices, vector } from "../../static/js/mathml.js";
import { closedFormGrad, isLinearWarmup, warmupScalars } from "../../static/js/warmup.js";
import { loadTrace } from "./helpers.js";

const tanh = loadTrace("tanh-trace");
const linear = loadTrace("linear-trace");
const it = (trace, update = null) => ({ trace, update });

test("numbers in MathML: 4 digits, exponents as ×10ⁿ", () => {
  assert.equal(mn(0.123456), "<mn>0.1235</mn>");
  assert.match(mn(1.5e-7), /<mn>1.5<\/mn><mo>×<\/mo><msup><mn>10<\/mn><mn>\u22127<\/mn><\/msup>/);
});

test("large matrices are truncated with ⋮, ⋯ and ⋱", () => {
  assert.deepEqual(truncatedIndices(10, 4), [0, 1, null, 9]);
  const big = Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => r * 10 + c));
  const markup = matrix(big, { maxRows: 4, maxCols: 4 });
  assert.equal((markup.match(/<mtr>/g) || []).length, 4);
  assert.ok(markup.includes("⋮") && markup.includes("⋯") && markup.includes("⋱"));
  assert.ok(markup.includes("<mn>99</mn>"));
  assert.ok(!markup.includes("<mn>55</mn>"));
});

test("a one-element vector is written as a plain number", () => {
  assert.equal(vector([2]), "<mn>2</mn>");
});

test("the z_i step shows W_i, example k's a_{i−1}, b_i and the result, with full values", () => {
  const out = formulaFor({ phase: "forward", node: "z1", kind: "value" }, it(tanh), 1);
  assert.deepEqual(out.value, tanh.values.z1);
  const numbers = out.lines[1];
  for (const v of [tanh.values.W1[0][0], tanh.values.a0[1][1], tanh.values.b1[0], tanh.values.z1[1][2]]) {
    assert.ok(numbers.includes(mn(v)), `missing ${v}`);
  }
  assert.match(out.narration, /^z₁ = /);
});

test("∂f/∂z_i shows (W_{i+1}ᵀ ∂f/∂z_{i+1}) ⊙ b′(z_i) with the local derivative's numbers", () => {
  const out = formulaFor({ phase: "backward", node: "z1", kind: "grad" }, it(tanh), 0);
  assert.deepEqual(out.value, tanh.grads.z1);
  assert.ok(out.lines[0].includes("⊙") && out.lines[0].includes("<mi>T</mi>"));
  assert.ok(out.lines[1].includes(mn(tanh.local_derivatives.a1[0][0])));
  assert.ok(out.narration.startsWith("∂f/∂z₁ = "));
});

test("∂f/∂W_i is the batch sum, and example k's outer product is shown", () => {
  const out = formulaFor({ phase: "backward", node: "W1", kind: "param-grad" }, it(tanh), 0);
  assert.deepEqual(out.value, tanh.param_grads.W1);
  const term = tanh.grads.z1[0][2] * tanh.values.a0[0][1];
  assert.ok(out.lines[1].includes(mn(term)));
  assert.ok(out.lines[2].includes(mn(tanh.param_grads.W1[2][1])));
});

test("the mse loss lists each example's term and the mean", () => {
  const out = formulaFor({ phase: "forward", node: "loss", kind: "loss" }, it(tanh), 0);
  assert.equal(out.value, tanh.loss);
  const t0 = (tanh.values.a2[0][0] - tanh.values.y[0][0]) ** 2;
  assert.ok(out.lines[2].includes(mn(t0)) && out.lines[2].includes(mn(tanh.loss)));
});

test("the update step shows before − η·grad = after and returns the new parameter", () => {
  const update = { lr: 0.1, params_before: { W2: [[1, 2]] }, param_grads: { W2: [[0.5, -1]] }, params: { W2: [[0.95, 2.1]] } };
  const out = formulaFor({ phase: "update", node: "W2", kind: "update" }, it(tanh, update), 0);
  assert.deepEqual(out.value, [[0.95, 2.1]]);
  assert.ok(out.lines[1].includes("<mn>0.1</mn>") && out.lines[1].includes("<mn>2.1</mn>"));
  assert.equal(out.narration, "W₂ updated to 0.95, 2.1");
});

test("the linear warm-up is recognised, the tanh net is not", () => {
  assert.equal(isLinearWarmup(linear), true);
  assert.equal(isLinearWarmup(tanh), false);
});

test("closed form (3) equals backprop's ∂f/∂w_i for every layer", () => {
  const { w, x, y } = warmupScalars(linear);
  for (let i = 1; i <= 3; i += 1) {
    const cf = closedFormGrad(w, x, y, i).value;
    const bp = linear.param_grads[`W${i}`][0][0];
    assert.ok(Math.abs(cf - bp) <= 1e-12 * Math.abs(bp), `w${i}: ${cf} vs ${bp}`);
  }
});

test("the warm-up's ∂f/∂w_i step carries the closed form and shows both at 12 digits", () => {
  const out = formulaFor({ phase: "backward", node: "W2", kind: "param-grad" }, it(linear), 0);
  assert.ok(Math.abs(out.closedForm - linear.param_grads.W2[0][0]) <= 1e-12);
  assert.ok(out.lines.some((l) => l.includes("closed form (3)")));
});

test("non-MLP kinds fall back to node = value", () => {
  const graphTrace = { ...tanh, kind: "graph" };
  const out = formulaFor({ phase: "backward", node: "z2", kind: "grad" }, it(graphTrace), 0);
  assert.deepEqual(out.value, tanh.grads.z2);
});

test("tiny matrices factor out a common power of ten so cells stay short", () => {
  const markup = matrix([[6.696e-5, -1.243e-4], [3.1e-5, 2e-6]]);
  assert.ok(markup.startsWith("<mrow><msup><mn>10</mn><mn>\u22124</mn></msup><mo>×</mo>"));
  assert.ok(markup.includes("<mn>0.6696</mn>") && markup.includes("<mn>\u22121.243</mn>"));
  assert.ok(!matrix([[0.5, 2]]).includes("<msup>"));
});

test("the warm-up names ∂f/∂z_i as the lecture's g_i", () => {
  const out = formulaFor({ phase: "backward", node: "z3", kind: "grad" }, it(linear), 0);
  const last = out.lines[out.lines.length - 1];
  assert.ok(last.startsWith("<mrow><msub><mi>g</mi><mn>3</mn></msub>"));
  assert.ok(last.includes(mn(linear.grads.z3[0][0])));
  const tanhOut = formulaFor({ phase: "backward", node: "z2", kind: "grad" }, it(tanh), 0);
  assert.ok(!tanhOut.lines.some((l) => l.includes("<mi>g</mi>")));
});
