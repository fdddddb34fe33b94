import { test } from "node:test";
import assert from "node:assert/strict";
import { fitView, follow, panView, scaleOf, zoomView, ZOOM } from "../../static/js/stage/viewbox.js";

test("fitting shows the whole drawing at the screen's aspect, centred", () => {
  assert.deepEqual(fitView(1000, 200, 2), { x: 0, y: -150, w: 1000, h: 500 });
  assert.deepEqual(fitView(100, 200, 2), { x: -150, y: 0, w: 400, h: 200 });
});

test("zooming keeps the point under the cursor fixed and stops at the limits", () => {
  const full = fitView(1000, 500, 2);
  const v = zoomView(full, 2, 250, 100, full);
  assert.deepEqual(v, { x: 125, y: 50, w: 500, h: 250 });
  // (250 − x) / w is the same before and after: the cursor's point stays put.
  assert.equal((250 - full.x) / full.w, (250 - v.x) / v.w);
  assert.equal(scaleOf(v, full), 2);
  let far = full;
  for (let i = 0; i < 100; i += 1) far = zoomView(far, ZOOM.step, 0, 0, full);
  assert.ok(scaleOf(far, full) <= ZOOM.max);
});

test("following moves the view the least needed to show a box", () => {
  const view = { x: 0, y: 0, w: 400, h: 200 };
  assert.deepEqual(follow(view, { x: 100, y: 50, width: 50, height: 20 }), view);
  assert.deepEqual(follow(view, { x: 500, y: 50, width: 100, height: 20 }, 10), { x: 210, y: 0, w: 400, h: 200 });
  assert.deepEqual(follow(view, { x: -50, y: -30, width: 10, height: 10 }, 0), { x: -50, y: -30, w: 400, h: 200 });
  assert.deepEqual(panView(view, 5, -5), { x: 5, y: -5, w: 400, h: 200 });
});
