import { test } from "node:test";
import assert from "node:assert/strict";
import { TrainedNetwork } from "../../static/js/scenes/train/network.js";

const preset = { network: { kind: "mlp", sizes: [2, 3, 1], activation: "tanh", loss: "mse", seed: 1 } };
const state = () => ({ hidden: [3], activation: "tanh", seed: 1, data: { x: [[0, 1]], y: [[1]], loss: "mse" },
  session: null, generation: 0, segments: [], steps: [], losses: [], step: 0 });

function fakeApi(log) {
  let n = 0;
  return {
    createSession: async () => ({ id: `s${++n}` }),
    deleteSession: async (id) => { log.push(["delete", id]); },
    train: async (id, body) => {
      log.push(["train", id, body]);
      if (id === "s1" && log.lost) throw Object.assign(new Error("gone"), { status: 404 });
      return { loss_history: Array.from({ length: body.steps }, (_, i) => 1 / (i + 1)), step: body.steps, final_loss: 0.1 };
    },
  };
}

test("a trained chunk is recorded: the segment a link replays, the curve, the step", async () => {
  const log = [];
  const s = state();
  const net = new TrainedNetwork(fakeApi(log), preset, s);
  await net.create();
  const res = await net.train(4, { lr: 0.5, batch: 8, clip: true });
  assert.equal(res.final_loss, 0.1);
  assert.deepEqual(s.segments, [[4, 0.5, 8, 1]]);
  assert.deepEqual(s.steps, [0, 1, 2, 3]);
  assert.equal(s.step, 4);
  assert.deepEqual(log[0][2], { steps: 4, lr: 0.5, seed: 1, batch_size: 8, clip: { mode: "norm", max_norm: 1, norm_type: 2 } });
});

test("a session the server lost is made again with the record replayed, and the call repeated", async () => {
  const log = [];
  const s = state();
  const told = [];
  const net = new TrainedNetwork(fakeApi(log), preset, s, { onRebuilt: (session) => told.push(session.id) });
  await net.create();
  await net.train(3, { lr: 0.5, batch: 0, clip: false });
  log.lost = true;
  await net.train(2, { lr: 0.5, batch: 0, clip: false });
  assert.deepEqual(told, ["s2"]);
  // The replay of the first 3 steps on s2, then the 2 asked for, on s2.
  assert.deepEqual(log.slice(-2).map(([, id, body]) => [id, body.steps]), [["s2", 3], ["s2", 2]]);
  assert.deepEqual(s.segments, [[5, 0.5, 0, 0]]);
});

test("an update stepped on the stage is one more full-batch step of the run", () => {
  const s = state();
  const net = new TrainedNetwork(fakeApi([]), preset, s);
  s.segments = [[10, 0.2, 16, 0]];
  s.step = 10;
  net.recordStageStep({ loss: 0.3, lr: 0.2, step: 11 });
  assert.deepEqual(s.segments, [[10, 0.2, 16, 0], [1, 0.2, 0, 0]]);
  assert.deepEqual([s.step, s.steps, s.losses], [11, [10], [0.3]]);
});
