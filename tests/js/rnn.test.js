import { test } from "node:test";
import assert from "node:assert/strict";
import { logSlope, overflowStep, perStepBack, regimeOf, logPosition, zeroStep } from "../../static/js/scenes/rnn/fit.js";
import { chainWindow } from "../../static/js/scenes/rnn/window.js";
import { initialChoice, parseSteps, readChoice, requestBody, resizeSequence, snapRho } from "../../static/js/scenes/rnn/spec.js";
import { latestOnly } from "../../static/js/scenes/rnn/latest.js";
import { decadeLabel, verdictText, overflowSentence } from "../../static/js/scenes/rnn/text.js";

const geometric = (r, T) => Array.from({ length: T + 1 }, (_, t) => r ** (T - t));

test("a geometric curve's slope gives its factor per step back", () => {
  const norms = geometric(0.5, 30);
  assert.ok(Math.abs(perStepBack(logSlope(norms)) - 0.5) < 1e-12);
  assert.equal(regimeOf(perStepBack(logSlope(norms))), "vanishing");
  assert.ok(logSlope(geometric(1.5, 30)) < 0);
  assert.equal(regimeOf(perStepBack(logSlope(geometric(1.5, 30)))), "exploding");
  assert.equal(regimeOf(perStepBack(logSlope(geometric(1.001, 30)))), "steady");
});

test("overflowed and zero norms are left out of the fit, and the overflow step is found", () => {
  const norms = [Infinity, Infinity, 1e300, 1e200, 1e100, 1];
  assert.equal(overflowStep(norms), 1);
  assert.ok(Math.abs(perStepBack(logSlope(norms)) - 1e100) / 1e100 < 1e-9);
  assert.equal(overflowStep([1, NaN, 2]), 1);
  assert.equal(overflowStep([1, 2]), null);
  assert.equal(zeroStep([0, 0, 1e-300, 1]), 1);
  assert.equal(zeroStep([1e-300, 1]), null);
  assert.equal(logSlope([0, Infinity, 1]), null);
  assert.equal(regimeOf(perStepBack(null)), "unknown");
});

test("log position spans the finite norms; infinity sits at the top", () => {
  const norms = [1e-4, 1e-2, 1];
  assert.equal(logPosition(1e-4, norms), 0);
  assert.equal(logPosition(1e-2, norms), 0.5);
  assert.equal(logPosition(Infinity, norms), 1);
});

test("short chains are drawn whole; long ones keep t = 1, T and a run around the focus", () => {
  assert.deepEqual(chainWindow(5).map((i) => i.t), [1, 2, 3, 4, 5]);
  const items = chainWindow(300, 150, 40);
  assert.equal(items.length, 40);
  assert.equal(items[0].t, 1);
  assert.equal(items.at(-1).t, 300);
  assert.ok(items.some((i) => i.t === 150));
  const covered = items.reduce((n, i) => n + (i.gap ? i.gap[1] - i.gap[0] + 1 : 1), 0);
  assert.equal(covered, 300);
  const atEnd = chainWindow(300, 300, 40);
  assert.equal(atEnd.length, 39);
  assert.deepEqual(atEnd.slice(-3).map((i) => i.t), [298, 299, 300]);
  assert.ok(chainWindow(300, 1, 40).some((i) => i.t === 2));
});

test("a new T repeats the preset's sequence cyclically; mse_all resizes y too", () => {
  const x = [[[1], [2], [3]]];
  assert.deepEqual(resizeSequence(x, 5), [[[1], [2], [3], [1], [2]]]);
  assert.deepEqual(resizeSequence(x, 2), [[[1], [2]]]);
  const preset = { network: { kind: "rnn", cell: "rnn", steps: 3, loss: "mse_all", truncate: 5, recurrent_spectral_norm: 0.5, activation: "identity" }, x, y: [[[0], [1], [2]]] };
  const body = requestBody(preset, { ...initialChoice(preset), steps: 4, rho: 1.5, activation: "tanh" });
  assert.deepEqual(body.y, [[[0], [1], [2], [0]]]);
  assert.equal(body.network.recurrent_spectral_norm, 1.5);
  assert.equal(body.network.activation, "tanh");
  assert.equal(body.network.truncate, 4);
  assert.equal(body.detail, undefined);
  assert.equal(requestBody(preset, { rho: 1, activation: "tanh", steps: 300 }).detail, "summary");
  assert.equal(preset.network.steps, 3, "the preset itself is untouched");
});

test("the LSTM keeps its own gates: no ρ, no activation written into it", () => {
  const preset = { network: { kind: "rnn", cell: "lstm", steps: 3, loss: "mse_last", recurrent_spectral_norm: null, activation: "tanh" }, x: [[[1], [2], [3]]], y: [[0]] };
  const body = requestBody(preset, { rho: 2, activation: "relu", steps: 3 });
  assert.equal(body.network.recurrent_spectral_norm, null);
  assert.equal(body.network.activation, "tanh");
});

test("ρ snaps to the slider's grid and range", () => {
  assert.equal(snapRho(1.4999), 1.5);
  assert.equal(snapRho(0), 0.1);
  assert.equal(snapRho(7), 3);
});

test("decades are labelled with superscripts; the verdict and overflow name their numbers", () => {
  assert.equal(decadeLabel(-5), "10⁻⁵");
  assert.equal(decadeLabel(12), "10¹²");
  assert.equal(verdictText(0.5, "vanishing"), "per step back: ×0.5 — vanishing");
  assert.match(overflowSentence(17, { grad_norms_h: Array(18).fill(Infinity) }), /^Overflow at t = 17/);
});

test("while a request runs, only the newest wish is sent next", async () => {
  const sent = [];
  const shown = [];
  let release;
  const send = (body) => {
    sent.push(body);
    return new Promise((resolve) => { release = () => resolve(body * 10); });
  };
  const r = latestOnly(send, (answer, key, settled) => shown.push([answer, settled]), assert.fail);
  const first = r.request(1, 1);
  r.request(2, 2);
  r.request(3, 3);
  assert.deepEqual(sent, [1]);
  release();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(sent, [1, 3]);
  release();
  await first;
  assert.deepEqual(shown, [[10, false], [30, true]]);
  assert.equal(r.busy, false);
});

test("a link's setup is read within the controls' ranges; a field out of range names itself", () => {
  const preset = { network: { cell: "rnn", steps: 30, recurrent_spectral_norm: 0.5, activation: "identity" } };
  assert.deepEqual(readChoice({ rho: 1.52, activation: "tanh", steps: 1500 }, preset), { rho: 1.5, activation: "tanh", steps: 1500 });
  assert.deepEqual(readChoice({ steps: 45 }, preset), { rho: 0.5, activation: "identity", steps: 45 });
  assert.throws(() => readChoice({ rho: "x" }, preset), /^Error: rho is "x", not a number from 0.1 to 3$/);
  assert.throws(() => readChoice({ rho: 7 }, preset), /rho is 7/);
  assert.throws(() => readChoice({ activation: "gelu" }, preset), /activation is "gelu", not one of tanh, sigmoid, relu, identity/);
  assert.throws(() => readChoice({ steps: 4 }, preset), /steps is 4, not a whole number from 5 to 1500/);
  assert.throws(() => readChoice({ steps: "45" }, preset), /steps is "45"/);
  assert.equal(parseSteps("12.5"), null);
  assert.equal(parseSteps("1501"), null);
  assert.equal(parseSteps("300"), 300);
});

const clippingPreset = {
  network: { cell: "rnn", steps: 30, recurrent_spectral_norm: 1.25, activation: "identity", truncate: null },
  clip: { mode: "norm", max_norm: 1.0, norm_type: 2 },
};

test("the scene's settings: an old link's ρ, b and T reopen, with the walk idle and the panels' own", async () => {
  const { defaultScene, openingScene } = await import("../../static/js/scenes/rnn/setup.js");
  assert.deepEqual(defaultScene(clippingPreset),
    { rho: 1.25, activation: "identity", steps: 30, t: null, clip: { mode: "norm", c: 1, norm: 2 } });
  const opened = openingScene({ rho: 1.5, activation: "tanh", steps: 45 }, clippingPreset, null);
  assert.deepEqual(opened, { scene: { rho: 1.5, activation: "tanh", steps: 45, t: null, clip: { mode: "norm", c: 1, norm: 2 } }, notice: null });
  const walked = openingScene({ steps: 45, t: 40, clip: { mode: "off", c: 0.1, norm: 2 } }, clippingPreset, null);
  assert.equal(walked.scene.t, 40);
  assert.deepEqual(walked.scene.clip, { mode: "off", c: 0.1, norm: 2 });
  assert.deepEqual(openingScene(null, clippingPreset, null), { scene: defaultScene(clippingPreset), notice: null });
});

test("a setup that cannot be read opens the preset's own and says why", async () => {
  const { defaultScene, openingScene } = await import("../../static/js/scenes/rnn/setup.js");
  const tooFar = openingScene({ steps: 30, t: 31 }, clippingPreset, null);
  assert.deepEqual(tooFar.scene, defaultScene(clippingPreset));
  assert.equal(tooFar.notice, "This link's setup could not be read: t is 31, not null or a whole step from 1 to T = 30. Showing the scene's own.");
  assert.match(openingScene([1, 2], clippingPreset, null).notice, /it is not a JSON object of settings/);
  assert.match(openingScene({ clip: { mode: "max", c: 1, norm: 2 } }, clippingPreset, null).notice, /clip mode is "max"/);
  const damaged = openingScene(null, clippingPreset, "it is cut short");
  assert.equal(damaged.notice, "This link's setup could not be read: it is cut short. Showing the scene's own.");
  assert.deepEqual(damaged.scene, defaultScene(clippingPreset));
});

test("a walk position outside a new T falls back to idle", async () => {
  const { fitWalk } = await import("../../static/js/scenes/rnn/setup.js");
  assert.equal(fitWalk(12, 30), 12);
  assert.equal(fitWalk(31, 30), null);
  assert.equal(fitWalk(null, 30), null);
  assert.equal(fitWalk(undefined, 30), null);
});

test("the walk stands where it is put and reports each stop, not playing", async () => {
  const { createWalk } = await import("../../static/js/scenes/rnn/backward.js");
  const seen = [];
  const walk = createWalk((t, playing) => seen.push([t, playing]));
  walk.reset(30, 12);
  walk.step();
  assert.equal(walk.t, 11);
  walk.goTo(null);
  walk.step();
  assert.equal(walk.t, 30, "from idle the walk starts at t = T");
  assert.deepEqual(seen, [[12, false], [11, false], [null, false], [30, false]]);
  walk.destroy();
});
