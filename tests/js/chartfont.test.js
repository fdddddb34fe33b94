import { test } from "node:test";
import assert from "node:assert/strict";
import { labelPx, SLIDE_MIN_PX } from "../../static/js/chartfont.js";

test("off a slide a chart keeps its own label size", () => {
  assert.equal(labelPx(16, 0.5, false), 16);
});

test("on a slide the labels show at least SLIDE_MIN_PX once the panel's zoom shrinks them", () => {
  assert.equal(SLIDE_MIN_PX, 18);
  for (const zoom of [1, 0.82, 0.6, 0.45, 0.4]) {
    const px = labelPx(16, zoom, true);
    assert.ok(px * zoom >= SLIDE_MIN_PX, `${px} px at zoom ${zoom}`);
    assert.ok((px - 1) * zoom < SLIDE_MIN_PX, `${px} px is more than needed at zoom ${zoom}`);
  }
  assert.equal(labelPx(24, 1, true), 24); // a chart already larger keeps its size
});
