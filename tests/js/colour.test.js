import { test } from "node:test";
import assert from "node:assert/strict";
import { divergingColour, maxAbs, normalise, signColour, textOn } from "../../static/js/colour.js";
import { COLOURS } from "../../static/js/config.js";

test("zero maps to the neutral middle colour", () => {
  assert.equal(divergingColour(0, 1), COLOURS.diverging[2]);
});

test("the scale is clamped symmetrically: ±max and beyond hit the end colours", () => {
  assert.equal(divergingColour(2, 2), COLOURS.diverging[4]);
  assert.equal(divergingColour(-5, 2), COLOURS.diverging[0]);
  assert.equal(divergingColour(100, 2), COLOURS.diverging[4]);
});

test("halfway values hit the intermediate stops", () => {
  assert.equal(divergingColour(0.5, 1), COLOURS.diverging[3]);
  assert.equal(divergingColour(-0.5, 1), COLOURS.diverging[1]);
});

test("normalise is symmetric around 0 and handles a zero range", () => {
  assert.equal(normalise(-0.25, 1), -0.25);
  assert.equal(normalise(0.25, 1), 0.25);
  assert.equal(normalise(3, 0), 1);
  assert.equal(normalise(0, 0), 0);
});

test("NaN gets the invalid colour, not a misleading shade", () => {
  assert.equal(divergingColour(NaN, 1), COLOURS.invalid);
  assert.equal(signColour(NaN), COLOURS.invalid);
});

test("edges are coloured by sign", () => {
  assert.equal(signColour(-0.1), COLOURS.negative);
  assert.equal(signColour(0.1), COLOURS.positive);
});

test("text on a dark fill is white, on a light fill black", () => {
  assert.equal(textOn("#2166ac"), "#ffffff");
  assert.equal(textOn("#f7f7f7"), "#111111");
});

test("maxAbs ignores non-finite values and walks nested arrays", () => {
  assert.equal(maxAbs([[1, -3], [2]], [Infinity, NaN, -0.5]), 3);
  assert.equal(maxAbs([]), 0);
});
