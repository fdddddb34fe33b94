import { test } from "node:test";
import assert from "node:assert/strict";
import { columnsOf, dagLayout } from "../../static/js/dag.js";

const nodes = [
  { id: "x", inputs: [] }, { id: "W1", inputs: [] }, { id: "z1", inputs: ["x", "W1"] },
  { id: "a1", inputs: ["z1"] }, { id: "s", inputs: ["a1", "x"] }, { id: "W2", inputs: [] },
  { id: "out", inputs: ["s", "W2"] },
];

test("an op sits one column right of its deepest input; a leaf just left of its first user", () => {
  const c = columnsOf(nodes);
  assert.deepEqual([c.get("x"), c.get("z1"), c.get("a1"), c.get("s"), c.get("out")], [0, 1, 2, 3, 4]);
  assert.equal(c.get("W2"), 3);
});

test("every edge points left to right, and boxes of a column do not overlap", () => {
  const { boxes } = dagLayout(nodes);
  for (const n of nodes) for (const i of n.inputs) assert.ok(boxes.get(i).x < boxes.get(n.id).x, `${i} -> ${n.id}`);
  const col3 = ["s", "W2"].map((id) => boxes.get(id));
  assert.equal(col3[0].x, col3[1].x);
  assert.ok(Math.abs(col3[0].y - col3[1].y) >= 54);
});
