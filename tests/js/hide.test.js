import { test } from "node:test";
import assert from "node:assert/strict";
import { lossReadout } from "../../static/js/lossreadout.js";
import { pendingNodes, lossAfterReached } from "../../static/js/stage/pending.js";
import { reachedHistory } from "../../static/js/views/loss.js";
import { Timeline } from "../../static/js/timeline.js";
import { loadTrace } from "./helpers.js";

const tanh = loadTrace("tanh-trace");
const skip = loadTrace("skip-trace");

/** The view main.js builds, for the timeline's current step (the parts these modules read). */
function viewAt(timeline, hide) {
  const step = timeline.current;
  return { step, iteration: timeline.iteration(), trace: timeline.iteration().trace, revealed: timeline.revealed(), hide,
    colourBy: step.phase === "backward" ? "grad" : "value" };
}

function walkTo(timeline, phase, node) {
  while (!(timeline.current.phase === phase && timeline.current.node === node)) assert.ok(timeline.next(), `${phase} ${node}`);
}

test("hidden numbers: in the forward pass every op not reached yet is pending, and only those", () => {
  const t = new Timeline();
  t.addIteration(tanh);
  walkTo(t, "forward", "z1");
  const computed = tanh.graph.nodes.filter((n) => n.role === "op" || n.role === "loss").map((n) => n.id);
  const later = computed.filter((id) => id !== "z1");
  assert.ok(later.includes("a1") && later.includes("loss"));
  assert.deepEqual([...pendingNodes(viewAt(t, true))].sort(), later.sort());
  assert.equal(pendingNodes(viewAt(t, false)).size, 0);
  walkTo(t, "forward", "loss");
  assert.equal(pendingNodes(viewAt(t, true)).size, 0);
});

test("hidden numbers: in the backward pass the gradients still to come, parameters included", () => {
  const t = new Timeline();
  t.addIteration(skip);
  walkTo(t, "backward", "s");
  const pending = pendingNodes(viewAt(t, true));
  // x is read twice (its gradient is a step); y is read once and gets none.
  for (const id of ["x", "W1", "b1", "z1", "a1"]) assert.ok(pending.has(id), id);
  for (const id of ["s", "out", "y", "loss"]) assert.ok(!pending.has(id), id);
});

test("hidden numbers: f after the update waits for the last parameter's update step", () => {
  const t = new Timeline();
  t.addIteration(tanh);
  const params = Object.keys(tanh.params);
  t.addUpdate({ loss: 0.5, loss_after: 0.25, params: Object.fromEntries(params.map((p) => [p, tanh.params[p]])) });
  walkTo(t, "update", params[0]);
  assert.equal(lossReadout(viewAt(t, true)).text, "f = 0.5 → ?");
  assert.equal(lossReadout(viewAt(t, false)).text, "f = 0.5 → 0.25");
  walkTo(t, "update", params.at(-1));
  assert.ok(lossAfterReached(viewAt(t, true)));
  assert.equal(lossReadout(viewAt(t, true)).text, "f = 0.5 → 0.25");
});

test("hidden numbers: stepped back into the first iteration, the history lists no later loss", () => {
  const t = new Timeline();
  t.addIteration(tanh);
  t.addUpdate({ loss: tanh.loss, loss_after: 0.25, params: tanh.params });
  t.addIteration({ ...tanh, loss: 0.25 });
  const history = [tanh.loss, 0.25];
  t.rewind();
  assert.deepEqual(reachedHistory(viewAt(t, true), history), ["?"]);
  assert.deepEqual(reachedHistory(viewAt(t, false), history), history);
  walkTo(t, "forward", "loss");
  assert.deepEqual(reachedHistory(viewAt(t, true), history), [tanh.loss]);
  while (t.current.iteration === 0) t.next();
  // The second iteration's f is the first update's f after, but this pass has not reached it.
  assert.deepEqual(reachedHistory(viewAt(t, true), history), [tanh.loss, "?"]);
});
