import { test } from "node:test";
import assert from "node:assert/strict";
import { chainFormula, usesOf } from "../../static/js/formulas/chain.js";
import { array, dfd, sym } from "../../static/js/mathml.js";
import { passSteps } from "../../static/js/timeline.js";
import { loadTrace } from "./helpers.js";

const skip = loadTrace("skip-trace"); // x → z1 = linear(x, W1, b1) → a1 = tanh → s = a1 + x → out
const text = (markup) => markup.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();

test("a node read once: the op's rule in symbols, then its factors with numbers, then the result", () => {
  const { lines, value } = chainFormula(skip, "z1");
  assert.deepEqual(value, skip.grads.z1);
  assert.ok(lines[0].includes(dfd(sym("a1"))) && text(lines[0]).includes("tanh ′"));
  // ∂f/∂a₁ ⊙ tanh′(z₁) = ∂f/∂z₁: both factors and the product, with the trace's numbers.
  assert.ok(lines[1].includes(array(skip.grads.a1)));
  assert.ok(lines[1].includes(array(skip.local_derivatives.a1)));
  assert.ok(lines[1].endsWith(`${array(skip.grads.z1)}</mrow>`));
});

test("add passes the gradient through to both inputs, and says so", () => {
  const { lines } = chainFormula(skip, "a1");
  assert.ok(lines[1].includes(array(skip.grads.a1)));
  assert.ok(lines.some((l) => text(l).includes("add passes")));
});

test("an input read by two ops sums its two terms, each named by the op it comes through", () => {
  const { lines, value } = chainFormula(skip, "x");
  assert.deepEqual(value, skip.grads.x);
  assert.ok(text(lines[0]).includes("via z1") && text(lines[0]).includes("via s"));
  for (const term of skip.branch_contributions.x) assert.ok(lines[1].includes(array(term.grad)));
  assert.ok(lines.some((l) => text(l).includes("2 ops read this node")));
});

test("linear's rules: ∂f/∂a = ∂f/∂z W and ∂f/∂W = ∂f/∂zᵀ a, with W's numbers", () => {
  const s = chainFormula(skip, "s");
  assert.ok(s.lines[0].includes(sym("W2")) && s.lines[1].includes(array(skip.values.W2)));
  const W1 = chainFormula(skip, "W1");
  assert.deepEqual(W1.value, skip.param_grads.W1);
  assert.ok(text(W1.lines[0]).includes("T"));
});

test("the backward pass steps x of a skip connection (read twice), not y (read once)", () => {
  const backward = passSteps(0, skip).filter((st) => st.phase === "backward").map((st) => st.node);
  assert.ok(backward.includes("x") && !backward.includes("y"));
  assert.equal(usesOf(skip, "x").length, 2);
});

// One tiny trace per op: input a (and b), op c reading them; the rule must not be the
// generic ∂c/∂a fallback. The engine's graph ops (tests/test_chain_rules.py checks this
// list against the registry).
const OPS = ["add", "sub", "mul", "div", "neg", "matmul", "linear", "transpose", "exp", "log",
  "square", "softmax", "sum", "mean", "conv1d", "mse", "cross_entropy", "bce",
  "tanh", "sigmoid", "relu", "leaky_relu", "softplus", "identity"];
const ARITY = { add: 2, sub: 2, mul: 2, div: 2, matmul: 2, linear: 2, conv1d: 2, mse: 2, cross_entropy: 2, bce: 2 };

test("every graph op has its own rule for its first input", () => {
  for (const op of OPS) {
    const inputs = ARITY[op] === 2 ? ["a", "b"] : ["a"];
    const role = ["mse", "cross_entropy", "bce"].includes(op) ? "loss" : "op";
    const trace = {
      graph: { nodes: [{ id: "a", op: "input", inputs: [], role: "input" }, { id: "b", op: "input", inputs: [], role: "input" },
        { id: "c", op, inputs, role }] },
      values: { a: [[1, 2]], b: [[3, 4]], c: [[5, 6]] }, grads: { a: [[0.5, 0.25]], c: [[1, 1]] },
      local_derivatives: { c: [[0.1, 0.2]] },
    };
    const { lines } = chainFormula(trace, "a");
    const generic = `${text(dfd(sym("c")))} · ∂ c ∂ a`;
    assert.ok(!text(lines[0]).includes(generic), `${op}: ${text(lines[0])}`);
  }
});
