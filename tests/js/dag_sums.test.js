import { test } from "node:test";
import assert from "node:assert/strict";
import { describeError, pathSums, runningSums } from "../../static/js/scenes/dag/sums.js";

test("running sums add rows in order", () => {
  assert.deepEqual(runningSums([[1, 2], [3, 4], [5, 6]]), [[1, 2], [4, 6], [9, 12]]);
});

test("422 detail names the field", () => {
  const detail = [{ loc: ["body", "network", "nodes", 1, "inputs", 0], msg: "unknown node id 'xx'" }];
  assert.equal(describeError(detail), "network.nodes.1.inputs.0: unknown node id 'xx'");
});

test("path sums list branch nodes and params used twice", () => {
  const trace = {
    branch_contributions: { u: [{ via: "p", grad: 1 }, { via: "q", grad: 2 }] }, grads: { u: 3 },
    contributions: { W: [{ via: "a", grad: 1 }, { via: "b", grad: 1 }], b: [{ via: "c", grad: 5 }] },
    param_grads: { W: 2, b: 5 },
  };
  assert.deepEqual(pathSums(trace).map((s) => [s.node, s.total]), [["u", 3], ["W", 2]]);
});
