import { test } from "node:test";
import assert from "node:assert/strict";
import { Run, updateRuns } from "../../static/js/run.js";

test("updateRuns merges consecutive recorded updates at the same η into one /train", () => {
  const its = [{ update: { lr: 0.1 } }, { update: { lr: 0.1 } }, { update: { lr: 0.05 } }, { update: null }];
  assert.deepEqual(updateRuns(its), [[2, 0.1], [1, 0.05]]);
  assert.deepEqual(updateRuns([{ update: null }]), []);
});

test("a lost session is made again once, with the recorded updates, and the call repeated", async () => {
  const calls = [];
  let live = "s1";
  const api = {
    createSession: async (body) => { calls.push(["create", body]); live = "s2"; return { id: "s2", network: {} }; },
    train: async (id, body) => { calls.push(["train", id, body]); return {}; },
    step: async (id, lr) => {
      if (id !== live) throw Object.assign(new Error("gone"), { status: 404 });
      calls.push(["step", id, lr]);
      return { params: { W1: 0 }, lr };
    },
  };
  const run = new Run(api, { name: "tanh-mlp" }, { id: "s1" });
  run.timeline.iterations.push({ update: { lr: 0.1 } }, { update: { lr: 0.1 } }, { trace: {}, update: null });
  live = "gone";
  const update = await run.withSession((id) => api.step(id, 0.1));
  assert.equal(update.lr, 0.1);
  assert.deepEqual(calls, [["create", { preset: "tanh-mlp" }], ["train", "s2", { steps: 2, lr: 0.1 }], ["step", "s2", 0.1]]);
  assert.equal(run.session.id, "s2");
});
