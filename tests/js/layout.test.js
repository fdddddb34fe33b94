import { test } from "node:test";
import assert from "node:assert/strict";
import { computeLayout, edgeWidth, layerSizes, shownUnits } from "../../static/js/layout.js";
import { LAYOUT } from "../../static/js/config.js";
import { loadTrace } from "./helpers.js";

test("narrow layers show every unit; wide ones the first units, an ellipsis and the last", () => {
  assert.deepEqual(shownUnits(3, 5), [0, 1, 2]);
  assert.deepEqual(shownUnits(100, 5), [0, 1, 2, null, 99]);
});

test("layer sizes come from the a_i node shapes", () => {
  assert.deepEqual(layerSizes(loadTrace("tanh-trace").graph), [2, 3, 1]);
  assert.deepEqual(layerSizes(loadTrace("linear-trace").graph), [1, 1, 1, 1]);
});

test("columns go left to right: a0, each layer, y, loss; units are centred vertically", () => {
  const layout = computeLayout([2, 3, 1]);
  assert.deepEqual(layout.columns.map((c) => c.id), ["a0", "a1", "a2", "y", "loss"]);
  const xs = layout.columns.map((c) => c.x);
  assert.deepEqual([...xs].sort((a, b) => a - b), xs);
  const mid = (c) => { const ys = layout.columns[c].units.map((u) => u.y); return (ys[0] + ys[ys.length - 1]) / 2; };
  assert.ok(Math.abs(mid(1) - mid(0)) < 1e-9 && Math.abs(mid(4) - mid(1)) < 1e-9);
  assert.equal(layout.columns[2].units.length, 1);
});

test("units never overlap and stay inside the drawing", () => {
  const layout = computeLayout([4, 50, 50, 3]);
  for (const column of layout.columns) {
    const ys = column.units.map((u) => u.y);
    for (let i = 1; i < ys.length; i += 1) assert.ok(ys[i] - ys[i - 1] >= 2 * layout.radius);
    assert.ok(ys[0] - layout.radius > layout.labelY && ys[ys.length - 1] + layout.radius < layout.height);
  }
  assert.equal(layout.columns[1].units.length, LAYOUT.maxUnitsShown);
});

test("edge width grows with |w| and is capped", () => {
  assert.equal(edgeWidth(0, 2), LAYOUT.minEdgeWidth);
  assert.equal(edgeWidth(-2, 2), LAYOUT.maxEdgeWidth);
  assert.equal(edgeWidth(10, 2), LAYOUT.maxEdgeWidth);
  assert.ok(edgeWidth(1, 2) > edgeWidth(0.5, 2));
});
