import { test } from "node:test";
import assert from "node:assert/strict";
import { LECTURE, keyOfScene, lectureGroups, sceneOfKey } from "../../static/js/lecture.js";

test("digits open the ten lecture scenes in order: 1 = why backprop, 8 = RNNs, 0 = second order", () => {
  assert.equal(LECTURE[sceneOfKey("1")].presets[0], "why-backprop");
  assert.equal(LECTURE[sceneOfKey("8")].presets[0], "rnn-vanishing");
  assert.equal(LECTURE[sceneOfKey("9")].presets[0], "rnn-clipping");
  assert.equal(LECTURE[sceneOfKey("0")].presets[0], "hessian");
  assert.equal(sceneOfKey("/"), null);
  assert.deepEqual(LECTURE.map((_, i) => keyOfScene(i)), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]);
});

test("the picker groups every listed preset under its scene, numbered, and keeps unknown ones", () => {
  const presets = ["hessian", "two-moons", "why-backprop", "diverging", "brand-new"].map((name) => ({ name }));
  const groups = lectureGroups(presets);
  assert.deepEqual(groups.map((g) => g.label), ["1 · Why backprop?", "4 · Training", "0 · Second order", "More"]);
  assert.deepEqual(groups[1].presets.map((p) => p.name), ["two-moons", "diverging"]);
  assert.deepEqual(groups.flatMap((g) => g.presets).map((p) => p.name).sort(), presets.map((p) => p.name).sort());
});
