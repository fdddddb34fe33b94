import { test } from "node:test";
import assert from "node:assert/strict";
import { claimLine, verdict } from "../../static/js/claim.js";

const measure = (value, holds) => ({ name: "training accuracy", value, sense: ">", bar: 0.95, holds });

test("the claim line states the preset's claim, and nothing when it has none", () => {
  assert.equal(claimLine({ claim: "Accuracy reaches 95 %." }), "Claim: Accuracy reaches 95 %.");
  assert.equal(claimLine({}), "");
});

test("a run that clears every bar holds, with the measured numbers", () => {
  const v = verdict({ measures: [measure(0.995, true)] }, "With weight seed 2");
  assert.equal(v.kind, "holds");
  assert.match(v.text, /^✓ With weight seed 2: the claim holds — training accuracy: 0\.995 \(needs > 0\.95\)\.$/);
});

test("a run that misses a bar is said to contradict the claim, naming only what it missed", () => {
  const v = verdict({ measures: [measure(0.9, false), { ...measure(1, true), name: "other" }] }, "With weight seed 7");
  assert.equal(v.kind, "contradicts");
  assert.match(v.text, /contradicts the claim — training accuracy: 0\.9 \(needs > 0\.95\)\.$/);
  assert.doesNotMatch(v.text, /other/);
});
