// The colour audit, on the real palette: WCAG contrast of text (≥ 4.5) and of graphical
// elements (≥ 3), and colours of opposite signs / different classes still told apart under
// simulated protanopia, deuteranopia and tritanopia (Machado 2009, ΔE*ab).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { COLOURS } from "../../static/js/config.js";
import { CLASS_HUES, CLASS_SHAPES, boundaryWash, classFill, classRegion } from "../../static/js/colour.js";
import { DEFICIENCIES, contrast, deltaE, simulate } from "../../static/js/contrast.js";

const css = readFileSync(new URL("../../static/css/main.css", import.meta.url), "utf8")
  + readFileSync(new URL("../../static/css/training.css", import.meta.url), "utf8");
const expand = (hex) => (hex.length === 4 ? "#" + [...hex.slice(1)].map((c) => c + c).join("") : hex);
const cssVar = (name) => expand(css.match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6});`))[1]);
/** The value of `prop` in the first rule whose selector list contains `selector`. */
function ruleValue(selector, prop) {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rule = css.match(new RegExp(`${escaped}[^{]*\\{([^}]*)\\}`));
  assert.ok(rule, `no rule for ${selector}`);
  const value = rule[1].match(new RegExp(`(?:^|[;\\s])${prop}:\\s*[^;#]*?(#[0-9a-fA-F]{3,6})\\b`));
  assert.ok(value, `${selector} has no ${prop} colour`);
  return expand(value[1]);
}

const WHITE = "#ffffff";
const atLeast = (a, b, min, what) => {
  const r = contrast(a, b);
  assert.ok(r >= min, `${what}: ${a} on ${b} is ${r.toFixed(2)}:1, under ${min}:1`);
  return r;
};
const apart = (a, b, min, what) => {
  for (const kind of [null, ...DEFICIENCIES]) {
    const d = kind ? deltaE(simulate(a, kind), simulate(b, kind)) : deltaE(a, b);
    assert.ok(d >= min, `${what} under ${kind ?? "normal vision"}: ΔE ${d.toFixed(1)} < ${min}`);
  }
};

test("text reads at 4.5:1 or more", () => {
  const ink = cssVar("ink");
  const paper = cssVar("paper");
  atLeast(ink, paper, 4.5, "ink on paper");
  atLeast(cssVar("muted"), paper, 4.5, "muted text on paper");
  atLeast(cssVar("muted"), cssVar("panel"), 4.5, "muted text on the formula panel");
  atLeast(WHITE, cssVar("accent"), 4.5, "the primary button's label");
  for (const phase of ["forward", "backward", "update"]) {
    atLeast(ink, ruleValue(`.phase[data-phase="${phase}"]`, "background"), 4.5, `the ${phase} phase badge`);
  }
  atLeast(ink, ruleValue(".error", "background"), 4.5, "error messages");
  atLeast(ruleValue(".training .train-error:not(:empty)", "color"), paper, 4.5, "the training panel's errors");
  atLeast(ink, ruleValue(".training .train-divergence", "background"), 4.5, "the divergence diagnosis");
  atLeast(WHITE, ruleValue(".tooltip", "background"), 4.5, "tooltips");
});

test("graphical elements stand at 3:1 or more", () => {
  atLeast(cssVar("focus"), cssVar("paper"), 3, "the focus ring");
  atLeast(COLOURS.negative, WHITE, 3, "negative edges");
  atLeast(COLOURS.positive, WHITE, 3, "positive edges and the fitted curve");
  atLeast(COLOURS.diverging[0], WHITE, 3, "the scale's negative end");
  atLeast(COLOURS.diverging[4], WHITE, 3, "the scale's positive end");
  atLeast(COLOURS.unitStroke, WHITE, 3, "unit outlines");
  atLeast(COLOURS.invalid, WHITE, 3, "NaN marks");
  atLeast("#b35806", WHITE, 3, "the loss curve");
});

test("every class's points stand out on every region of the boundary", () => {
  // Two classes: the washed diverging scale at its ends (where points of that class sit).
  const blueSide = boundaryWash(-0.5);
  const orangeSide = boundaryWash(0.5);
  const figures = {
    class0OnBlue: atLeast(classFill(0), blueSide, 3, "class-0 points on the blue side"),
    class1OnOrange: atLeast(classFill(1), orangeSide, 3, "class-1 points on the orange side"),
  };
  for (const region of [blueSide, orangeSide, boundaryWash(0)]) {
    atLeast(classFill(0), region, 3, "class-0 points");
    atLeast(classFill(1), region, 3, "class-1 points");
    atLeast("#111111", region, 3, "the points' dark outline");
  }
  // Several classes: each class's points on each class's region.
  CLASS_HUES.forEach((_, k) => CLASS_HUES.forEach((__, j) => atLeast(classFill(k), classRegion(j), 3, `class ${k} on region ${j}`)));
  assert.ok(figures.class0OnBlue > 3 && figures.class1OnOrange > 3);
});

test("opposite signs and different classes stay apart for colour-blind viewers", () => {
  apart(COLOURS.negative, COLOURS.positive, 40, "negative vs positive");
  apart(COLOURS.diverging[0], COLOURS.diverging[4], 40, "the scale's two ends");
  apart(COLOURS.diverging[1], COLOURS.diverging[3], 40, "the scale's half-way stops");
  apart(boundaryWash(-0.5), boundaryWash(0.5), 20, "the boundary's two sides");
  apart(classFill(0), classFill(1), 40, "class 0 vs class 1 points");
  // More classes: hues may come closer, but never below 10, and the shapes differ.
  for (let k = 0; k < CLASS_HUES.length; k++) {
    for (let j = k + 1; j < CLASS_HUES.length; j++) apart(classFill(k), classFill(j), 10, `classes ${k} and ${j}`);
  }
  assert.equal(new Set(CLASS_SHAPES).size, CLASS_SHAPES.length);
});

test("the simulation is the published one: pure red looks olive to a protanope", () => {
  // Row 1 of the matrix, 0.152286 of linear red, is 109/255 in sRGB; row 2, 0.114503, is 95.
  assert.equal(simulate("#ff0000", "protanopia"), "#6d5f00");
});
