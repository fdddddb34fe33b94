import { test } from "node:test";
import assert from "node:assert/strict";
import { Player } from "../../static/js/player.js";

// Yields to the event loop (not just the microtask queue), so a test timeout can fire.
const instant = () => new Promise((resolve) => setImmediate(resolve));

test("play advances until advance() answers false, then pauses itself", { timeout: 2000 }, async () => {
  let left = 3;
  const states = [];
  let done;
  const finished = new Promise((r) => (done = r));
  const player = new Player(async () => left-- > 0, {
    wait: instant,
    onChange: (playing) => { states.push(playing); if (!playing) done(); },
  });
  player.play();
  await finished;
  assert.equal(left, -1);
  assert.deepEqual(states, [true, false]);
  assert.equal(player.playing, false);
});

test("pause stops the loop: no step happens after it", async () => {
  let steps = 0;
  let release;
  const gate = () => new Promise((r) => (release = r));
  const player = new Player(async () => { steps += 1; return true; }, { wait: gate });
  player.play();
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(steps, 1);
  player.pause();
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(steps, 1);
});

test("pause then play never leaves two loops running (the cancel token)", async () => {
  let steps = 0;
  const releases = [];
  const wait = () => new Promise((r) => releases.push(r));
  const player = new Player(async () => { steps += 1; return true; }, { wait });
  player.play();
  player.pause();
  player.play();
  releases.forEach((r) => r());
  await new Promise((r) => setImmediate(r));
  assert.equal(steps, 1);
  player.pause();
});

test("the interval follows the speed in steps per second", () => {
  const player = new Player(async () => true, { speed: 4 });
  assert.equal(player.interval, 250);
  player.speed = 0.5;
  assert.equal(player.interval, 2000);
});
