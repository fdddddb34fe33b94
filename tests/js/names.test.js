import { test } from "node:test";
import assert from "node:assert/strict";
import { formulaFor } from "../../static/js/formulas/index.js";
import { sym } from "../../static/js/formulas/common.js";
import { stageGradSymbol, stageSymbol } from "../../static/js/stage/names.js";

const text = (markup) => markup.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();

// An RNN's last step, cut down: h1 is read by the output ŷ1 and by the next step's z2.
const rnn = {
  kind: "rnn",
  graph: { output: "loss", nodes: [
    { id: "h1", op: "tanh", inputs: [], role: "op" },
    { id: "W_out", op: "param", inputs: [], role: "param" },
    { id: "yhat1", op: "linear", inputs: ["h1", "W_out"], role: "op" },
    { id: "z2", op: "linear", inputs: ["h1", "W_out"], role: "op" },
  ] },
  values: { h1: [[0.25]], W_out: [[2]], yhat1: [[0.5]], z2: [[0.75]] },
  grads: { h1: [[1.5]], yhat1: [[0.125]], z2: [[0.375]] },
  branch_contributions: { h1: [{ via: "yhat1", grad: [[0.25]] }, { via: "z2", grad: [[1.25]] }] },
};
const iteration = { trace: rnn, update: null };

test("the stage's names: yhat_t is ŷ_t, one precomposed character; other ids as the lecture writes them", () => {
  assert.equal(stageSymbol("yhat10"), "\u0177\u2081\u2080");
  assert.equal(stageGradSymbol("yhat3"), "∂f/∂\u0177\u2083");
  assert.equal(stageSymbol("z2"), "z₂");
  assert.equal(stageSymbol("loss"), "f");
});

test("the formula panel writes ŷ₁ where the stage does, never the id yhat", () => {
  assert.equal(sym("yhat1"), "<msub><mi>\u0177</mi><mn>1</mn></msub>");
  const forward = formulaFor({ phase: "forward", node: "yhat1", kind: "value" }, iteration, 0);
  assert.ok(forward.lines[0].startsWith("<mrow><msub><mi>\u0177</mi><mn>1</mn></msub>"), forward.lines[0]);
  assert.equal(forward.narration, "\u0177\u2081 = 0.5");
  const backward = formulaFor({ phase: "backward", node: "h1", kind: "grad" }, iteration, 0);
  const all = backward.lines.map(text).join(" ");
  assert.ok(all.includes("via \u0177"), all);
  assert.ok(!/yhat/.test(backward.lines.join("") + backward.narration));
});
