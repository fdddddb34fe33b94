import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, gradSymbolOf, parseId, splitScientific, subscript, symbolOf } from "../../static/js/format.js";

test("formatNumber keeps 4 significant digits and drops trailing zeros", () => {
  assert.equal(formatNumber(0.123456), "0.1235");
  assert.equal(formatNumber(12.5), "12.5");
  assert.equal(formatNumber(1), "1");
  assert.equal(formatNumber(0), "0");
});

test("formatNumber writes negatives with a real minus sign", () => {
  assert.equal(formatNumber(-0.42), "\u22120.42");
});

test("formatNumber switches to exponent notation for tiny and huge values", () => {
  assert.equal(formatNumber(3.14159e-7), "3.142e\u22127");
  assert.equal(formatNumber(-2.5e8), "\u22122.5e8");
});

test("formatNumber spells out non-finite values", () => {
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), "\u2212∞");
});

test("formatNumber honours a larger digit count for digit-for-digit comparisons", () => {
  assert.equal(formatNumber(-0.1345723978123456, 12), "\u22120.134572397812");
});

test("splitScientific gives mantissa and exponent only outside the plain range", () => {
  assert.deepEqual(splitScientific(1.234e-6), { mantissa: 1.234, exponent: -6 });
  assert.equal(splitScientific(0.5), null);
  assert.equal(splitScientific(NaN), null);
});

test("symbols follow the lecture: subscripted layer index, f for the loss", () => {
  assert.equal(subscript(10), "₁₀");
  assert.equal(symbolOf("z2"), "z₂");
  assert.equal(symbolOf("W10"), "W₁₀");
  assert.equal(symbolOf("loss"), "f");
  assert.equal(gradSymbolOf("z2"), "∂f/∂z₂");
  assert.deepEqual(parseId("b3"), { name: "b", index: 3 });
  assert.equal(parseId("y"), null);
});
