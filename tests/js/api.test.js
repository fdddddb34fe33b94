import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { ApiError, createApi, decodeNonfinite, describeDetail, encodeNonfinite } from "../../static/js/api.js";

test("decodeNonfinite turns the contract's strings back into numbers, deep inside arrays", () => {
  const out = decodeNonfinite({ loss: "NaN", values: { z1: [[1, "Infinity"], ["-Infinity", 2]] } });
  assert.ok(Number.isNaN(out.loss));
  assert.deepEqual(out.values.z1, [[1, Infinity], [-Infinity, 2]]);
});

test("decodeNonfinite leaves ids and other strings alone", () => {
  const out = decodeNonfinite({ first_nonfinite_value: "z3", forward_order: ["a0", "z1"], nonfinite: true });
  assert.deepEqual(out, { first_nonfinite_value: "z3", forward_order: ["a0", "z1"], nonfinite: true });
});

test("encodeNonfinite round-trips through decodeNonfinite", () => {
  const value = [[NaN, 1.5], [Infinity, -Infinity]];
  const back = decodeNonfinite(JSON.parse(encodeNonfinite(value)));
  assert.ok(Number.isNaN(back[0][0]));
  assert.deepEqual(back.slice(1), [[Infinity, -Infinity]]);
  assert.equal(back[0][1], 1.5);
});

function fakeFetch(status, body) {
  const calls = [];
  const fn = async (path, init) => {
    calls.push({ path, init });
    return { ok: status < 400, status, statusText: "x", json: async () => body };
  };
  return { fn, calls };
}

test("the client posts JSON to the contract's paths and decodes the answer", async () => {
  const { fn, calls } = fakeFetch(200, { phase: "update", loss: "Infinity" });
  const api = createApi(fn);
  const out = await api.step("abc", 0.5);
  assert.equal(calls[0].path, "/api/v1/sessions/abc/step");
  assert.equal(calls[0].init.method, "POST");
  assert.deepEqual(JSON.parse(calls[0].init.body), { lr: 0.5 });
  assert.equal(out.loss, Infinity);
});

test("an error answer becomes an ApiError naming the path and the server's detail", async () => {
  const { fn } = fakeFetch(409, { detail: "no forward since the last change" });
  const api = createApi(fn);
  await assert.rejects(api.backward("s1"), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 409);
    assert.match(err.message, /sessions\/s1\/backward answered 409: no forward/);
    return true;
  });
});

test("one error format: FastAPI's detail list reads as 'field: problem; field: problem'", () => {
  const detail = [{ loc: ["body", "x"], msg: "expected shape (m, 2)" }, { loc: ["body", "lr"], msg: "must be > 0" }];
  const err = new ApiError("/api/v1/backprop", 422, detail);
  assert.equal(err.reason, "x: expected shape (m, 2); lr: must be > 0");
  assert.match(err.message, /backprop answered 422: x: expected shape/);
  assert.equal(describeDetail("session busy"), "session busy");
});

test("no module of the page but api.js calls fetch: one client for every endpoint", () => {
  const root = new URL("../../static/js/", import.meta.url);
  const offenders = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const url = new URL(entry.name + (entry.isDirectory() ? "/" : ""), dir);
      if (entry.isDirectory()) walk(url);
      else if (entry.name.endsWith(".js") && !url.pathname.endsWith("/static/js/api.js")
        && /\bfetch\(/.test(readFileSync(url, "utf8"))) offenders.push(url.pathname);
    }
  };
  walk(root);
  assert.deepEqual(offenders, []);
});

test("calls on one session go one at a time (no 409 'session busy' from the page itself)", async () => {
  let running = 0, most = 0;
  const fetchFn = async () => {
    running += 1; most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5));
    running -= 1;
    return { ok: true, status: 200, json: async () => ({}) };
  };
  const api = createApi(fetchFn);
  await Promise.all([api.forward("s1"), api.backward("s1"), api.train("s1", { steps: 1, lr: 0.1 }), api.predict("s1", { x: [] })]);
  assert.equal(most, 1);
  most = 0;
  await Promise.all([api.forward("a"), api.forward("b")]); // different sessions overlap freely
  assert.equal(most, 2);
});

test("trace runs forward and backward in one turn: a train sent meanwhile waits (no 409 from backward)", async () => {
  const order = [];
  const fetchFn = async (path) => {
    order.push(path.split("/").pop());
    await new Promise((r) => setTimeout(r, 5));
    return { ok: true, status: 200, json: async () => ({}) };
  };
  const api = createApi(fetchFn);
  const traced = api.trace("s1");
  await new Promise((r) => setTimeout(r, 1)); // the forward is on the wire
  await Promise.all([traced, api.train("s1", { steps: 1, lr: 0.1 })]);
  assert.deepEqual(order, ["forward", "backward", "train"]);
});

test("a 503 (the compute queue full for a moment) is asked again after its Retry-After, a few times at most", async () => {
  const waits = [];
  let calls = 0;
  const busy = { ok: false, status: 503, headers: { get: () => "2" }, json: async () => ({ detail: "the server is busy" }) };
  const fine = { ok: true, status: 200, json: async () => ({ loss: 1 }) };
  const api = createApi(async () => (++calls < 3 ? busy : fine), "/api/v1", { sleep: async (ms) => waits.push(ms) });
  assert.deepEqual(await api.backprop({}), { loss: 1 });
  assert.deepEqual(waits, [2000, 2000]);
  calls = -100; // always busy: the error shows after the last retry
  waits.length = 0;
  await assert.rejects(api.backprop({}), (err) => err.status === 503 && /busy/.test(err.reason));
  assert.equal(waits.length, 3);
});

test("releaseSessions deletes, with keepalive requests, the sessions the page made and has not deleted", async () => {
  const sent = [];
  let n = 0;
  const fetchFn = async (path, init) => {
    sent.push([init.method, path, init.keepalive === true]);
    return init.method === "POST" ? { ok: true, status: 201, json: async () => ({ id: `s${++n}` }) } : { ok: true, status: 204 };
  };
  const api = createApi(fetchFn);
  await api.createSession({ preset: "a" });
  await api.createSession({ preset: "b" });
  await api.deleteSession("s1");
  sent.length = 0;
  api.releaseSessions();
  api.releaseSessions(); // nothing twice
  assert.deepEqual(sent, [["DELETE", "/api/v1/sessions/s2", true]]);
});
