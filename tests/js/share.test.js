import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeShare, encodeShare, MAX_SHARE_CHARS } from "../../static/js/share.js";
import { addSegment, readSetup, setupOf } from "../../static/js/scenes/train/setup.js";

const state = {
  hidden: [9, 8], activation: "relu", seed: 1, lr: 0.05, batch: 16, clip: false, source: "dataset",
  dataset: { name: "circles", n: 200, noise: 0.2, seed: 0 }, segments: [[30, 0.1, 16, 0], [30, 0.05, 16, 0]],
};

test("a setup round-trips through a short, versioned, URL-safe text", async () => {
  const setup = setupOf(state, "two-moons");
  const text = await encodeShare(setup);
  assert.match(text, /^1\.[A-Za-z0-9_-]+$/);
  assert.ok(text.length < 300);
  assert.deepEqual((await decodeShare(text)).setup, setup);
  assert.deepEqual(readSetup(setup, "two-moons"), setup);
});

test("damaged, foreign, oversized texts give a sentence, never a throw", async () => {
  const text = await encodeShare(setupOf(state, "two-moons"));
  assert.match((await decodeShare(text.slice(0, 15))).error, /damaged/);
  assert.match((await decodeShare("1.ab$cd")).error, /characters/);
  assert.match((await decodeShare("2." + text.slice(2))).error, /format "2"/);
  assert.match((await decodeShare("1." + "A".repeat(MAX_SHARE_CHARS))).error, /at most/);
  assert.match((await decodeShare(text.replace(/^1\./, "1.A"))).error, /damaged/);
});

test("a setup too large for a link is refused at encoding", async () => {
  // Incompressible data: random digits do not deflate below the limit.
  const x = Array.from({ length: 800 }, () => [Math.random(), Math.random()]);
  const big = setupOf({ ...state, source: "csv", data: { x, y: x.map(() => [1]), loss: "mse" } }, "two-moons");
  assert.equal(await encodeShare(big), null);
});

test("readSetup checks every field against the panel's limits", () => {
  const good = setupOf(state, "two-moons");
  assert.throws(() => readSetup(good, "diverging"), /made for the scene "two-moons"/);
  assert.throws(() => readSetup({ ...good, hidden: [99] }, "two-moons"), /architecture/);
  assert.throws(() => readSetup({ ...good, activation: "eval" }, "two-moons"), /activation/);
  assert.throws(() => readSetup({ ...good, lr: -1 }, "two-moons"), /learning rate/);
  assert.throws(() => readSetup({ ...good, segments: [[1e6, 0.1, 0, 0]] }, "two-moons"), /training record/);
  assert.throws(() => readSetup({ ...good, dataset: { ...good.dataset, name: "../x" } }, "two-moons"), /dataset/);
});

test("segments merge while η, batch and clipping stay the same", () => {
  let seg = addSegment([], 20, 0.1, 0, false);
  seg = addSegment(seg, 20, 0.1, 0, false);
  seg = addSegment(seg, 0, 0.5, 0, false);
  seg = addSegment(seg, 5, 0.1, 0, true);
  assert.deepEqual(seg, [[40, 0.1, 0, 0], [5, 0.1, 0, 1]]);
});
