import { test } from "node:test";
import assert from "node:assert/strict";
import { Timeline, passSteps } from "../../static/js/timeline.js";
import { loadTrace } from "./helpers.js";

const trace = loadTrace("tanh-trace");
const update = { params: { W1: 0, b1: 0, W2: 0, b2: 0 }, params_before: {}, param_grads: {}, lr: 0.1 };

test("the forward pass starts at the input, skips parameter leaves and ends at the loss", () => {
  const fwd = passSteps(0, trace).filter((s) => s.phase === "forward");
  assert.deepEqual(fwd.map((s) => `${s.kind}:${s.node}`),
    ["input:a0", "value:z1", "value:a1", "value:z2", "value:a2", "loss:loss"]);
});

test("the backward pass follows backward_order; parameter leaves are their gradient steps", () => {
  const bwd = passSteps(0, trace).filter((s) => s.phase === "backward");
  assert.deepEqual(bwd.map((s) => `${s.kind}:${s.node}`),
    ["grad:a2", "grad:z2", "param-grad:W2", "param-grad:b2", "grad:a1", "grad:z1", "param-grad:W1", "param-grad:b1"]);
});

test("the timeline asks for the update at the end of the backward pass, then for a new iteration", () => {
  const t = new Timeline();
  t.addIteration(trace);
  assert.equal(t.pending(), null);
  while (t.next());
  assert.equal(t.current.node, "b1");
  assert.equal(t.pending(), "update");
  t.addUpdate(update);
  assert.ok(t.next());
  assert.deepEqual(t.current, { iteration: 0, phase: "update", node: "W1", kind: "update" });
  while (t.next());
  assert.equal(t.pending(), "iteration");
  t.addIteration(trace);
  assert.ok(t.next());
  assert.deepEqual(t.current, { iteration: 1, phase: "forward", node: "a0", kind: "input" });
});

test("stepping back revisits the exact previous step, and stops at the first", () => {
  const t = new Timeline();
  t.addIteration(trace);
  t.next();
  t.next();
  const before = t.current;
  t.next();
  assert.ok(t.back());
  assert.equal(t.current, before);
  t.back();
  t.back();
  assert.equal(t.back(), false);
  assert.equal(t.cursor, 0);
});

test("revealed() knows the values computed so far and, in the backward pass, every value", () => {
  const t = new Timeline();
  t.addIteration(trace);
  t.next(); // z1
  let r = t.revealed();
  assert.ok(r.values.has("z1") && r.values.has("W2") && !r.values.has("a1"));
  assert.equal(r.grads.size, 0);
  while (t.current.node !== "z2" || t.current.phase !== "backward") t.next();
  r = t.revealed();
  assert.ok(r.values.has("loss") && r.values.has("a1"));
  assert.deepEqual([...r.grads].sort(), ["a2", "z2"]);
});

test("rewind returns to the first step but keeps what was recorded", () => {
  const t = new Timeline();
  t.addIteration(trace);
  while (t.next());
  const count = t.steps.length;
  t.rewind();
  assert.equal(t.cursor, 0);
  assert.equal(t.steps.length, count);
});

test("End jumps to the end of the current pass, Home to its start, then to the previous pass's", () => {
  const t = new Timeline();
  t.addIteration(trace);
  t.next(); t.next(); // forward: z1
  assert.ok(t.toPassEnd());
  assert.deepEqual([t.current.phase, t.current.node], ["forward", "loss"]);
  assert.equal(t.toPassEnd(), false); // at the end: the caller steps into the next pass
  assert.ok(t.next());
  assert.ok(t.toPassEnd());
  assert.deepEqual([t.current.phase, t.current.node], ["backward", "b1"]);
  assert.ok(t.toPassStart());
  assert.deepEqual([t.current.phase, t.current.node], ["backward", "a2"]);
  assert.ok(t.toPassStart()); // at a start already: the previous pass's start
  assert.deepEqual([t.current.phase, t.current.node], ["forward", "a0"]);
  assert.equal(t.toPassStart(), false);
});

test("End stops at the last recorded step: an update not fetched yet is not skipped over", () => {
  const t = new Timeline();
  t.addIteration(trace);
  t.addUpdate(update);
  t.addIteration(trace);
  t.cursor = t.steps.findIndex((s) => s.phase === "update");
  assert.ok(t.toPassEnd());
  assert.deepEqual([t.current.iteration, t.current.phase, t.current.node], [0, "update", "b2"]);
});

test("position counts the step within its iteration, the update's steps included before they are fetched", () => {
  const t = new Timeline();
  t.addIteration(trace);
  const passes = t.steps.length;
  const params = Object.keys(trace.params).length;
  assert.deepEqual(t.position(), { index: 1, total: passes + params });
  while (t.next());
  assert.deepEqual(t.position(), { index: passes, total: passes + params });
  t.addUpdate({ params: trace.params });
  t.addIteration(trace);
  while (t.current.phase !== "forward" || t.current.iteration === 0) t.next();
  assert.deepEqual(t.position(), { index: 1, total: passes + params }); // the next iteration starts at 1
  t.back();
  assert.deepEqual(t.position(), { index: passes + params, total: passes + params });
});
