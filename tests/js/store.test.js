import { test } from "node:test";
import assert from "node:assert/strict";
import { Store, bindScene, fromSnapshot, SNAPSHOT_VERSION } from "../../static/js/store.js";
import { parseProps } from "../../static/js/state.js";

const fresh = () => new Store(parseProps("?preset=tanh-mlp&step=3"));

test("an update makes a new frozen state and tells every listener what it was before", () => {
  const store = fresh();
  const before = store.state;
  const heard = [];
  store.subscribe((state, previous) => heard.push([state.lr, previous.lr]));
  store.update({ lr: 0.5 });
  assert.equal(store.state.lr, 0.5);
  assert.equal(before.lr, 0.1); // the old state is untouched
  assert.deepEqual(heard, [[0.5, 0.1]]);
  assert.throws(() => { store.state.lr = 3; }, TypeError);
});

test("an update that changes nothing is not heard (a render that sets the same step)", () => {
  const store = fresh();
  let calls = 0;
  store.subscribe(() => { calls += 1; });
  store.update({ step: 3 });
  assert.equal(calls, 0);
  store.update({ step: 4 });
  assert.equal(calls, 1);
});

test("setScene merges into the scene's settings, and undefined removes a key", () => {
  const store = fresh();
  store.setScene({ rho: 1.5, steps: 30 });
  store.setScene({ steps: 40, data: [[1]] });
  assert.deepEqual(store.state.scene, { rho: 1.5, steps: 40, data: [[1]] });
  store.setScene({ data: undefined });
  assert.deepEqual(store.state.scene, { rho: 1.5, steps: 40 });
  assert.ok(Object.isFrozen(store.state.scene));
});

test("an unsubscribed listener hears nothing more", () => {
  const store = fresh();
  let calls = 0;
  const stop = store.subscribe(() => { calls += 1; });
  store.update({ k: 2 });
  stop();
  store.update({ k: 3 });
  assert.equal(calls, 1);
});

test("bindScene: the working object reads and writes the store, and keeps no copy", () => {
  const store = fresh();
  store.update({ scene: { batch: 0, hidden: [8] } });
  const s = bindScene({ session: null }, store, ["batch", "hidden"]);
  s.batch = 16;
  s.hidden = [...s.hidden, 4];
  assert.deepEqual(store.state.scene, { batch: 16, hidden: [8, 4] });
  store.setScene({ batch: 32 }); // a change from elsewhere is what the object reads
  assert.equal(s.batch, 32);
  Object.assign(s, { batch: 1, session: "abc" });
  assert.equal(store.state.scene.batch, 1);
  assert.equal(store.state.scene.session, undefined);
});

test("a snapshot is plain JSON and restores the same state", () => {
  const store = fresh();
  store.update({ lr: 0.05, k: 2, g: "ops", hide: 1, present: 1 });
  store.setScene({ rho: 1.2, walk: 7 });
  const snap = store.snapshot();
  assert.equal(snap.v, SNAPSHOT_VERSION);
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  const again = new Store(fromSnapshot(snap));
  assert.deepEqual(again.snapshot(), snap);
});

test("a snapshot's bad values fall back like a link's, and a foreign one is refused with its reason", () => {
  const state = fromSnapshot({ v: 1, preset: "<script>", lr: -1, step: 7, speed: 3 });
  assert.equal(state.preset, "linear-warmup");
  assert.equal(state.lr, 0.1);
  assert.equal(state.step, 7);
  assert.equal(state.speed, 1);
  assert.equal(state.scene, null);
  assert.throws(() => fromSnapshot({ v: 2 }), /version 2/);
  assert.throws(() => fromSnapshot([1]), /JSON object/);
  assert.throws(() => fromSnapshot({ v: 1, scene: [1, 2] }), /scene/);
  assert.throws(() => fromSnapshot({ v: 1, scene: { text: "x".repeat(300000) } }), /at most/);
});
