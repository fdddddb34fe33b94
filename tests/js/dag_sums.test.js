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

import { readLinked, oneOf } from "../../static/js/scenes/linked.js";
import { openingScene } from "../../static/js/scenes/dag/settings.js";

test("a link's fields are read in the checks' order, each against those before it", () => {
  const checks = { a: oneOf([1, 2]), b: (v, scene) => (v > scene.a ? null : `is ${v}, not above a`) };
  assert.deepEqual(readLinked({ b: 2, a: 1 }, { a: 2, b: 3 }, checks), { scene: { a: 1, b: 2 }, notice: null });
  const refused = readLinked({ a: 5, b: 2 }, { a: 2, b: 3 }, checks);
  assert.deepEqual(refused.scene, { a: 2, b: 3 });
  assert.match(refused.notice, /a is 5, not one of 1, 2; b is 2, not above a/);
});

test("the graph editor's text is kept from a link only as a text", () => {
  assert.deepEqual(openingScene({ text: "{}", run: "{}" }, null).scene, { text: "{}", run: "{}" });
  const { scene, notice } = openingScene({ text: 5 }, null);
  assert.deepEqual(scene, {});
  assert.match(notice, /text is not a text/);
});
