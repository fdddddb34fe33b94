import { test } from "node:test";
import assert from "node:assert/strict";
import { exportBody } from "../../static/js/exportbody.js";
import { loadTrace } from "./helpers.js";

test("a graph's export puts the shown params into its param nodes and feeds its inputs by id", () => {
  const trace = loadTrace("skip-trace");
  const preset = { network: trace.network ?? { kind: "graph", nodes: trace.graph.nodes } };
  const params = { W1: [[1, 2], [3, 4]], b1: [0, 0], W2: [[5, 6]] };
  const body = exportBody({ ...trace, network: preset.network }, preset, params, 0.1);
  assert.deepEqual(body.network.nodes.find((n) => n.id === "W1").value, params.W1);
  assert.deepEqual(Object.keys(body.inputs).sort(), ["x", "y"]);
  assert.deepEqual(body.inputs.x, trace.values.x);
  assert.equal("params" in body.network, false); // a graph takes no params field (a 422)
});

test("an MLP's export carries the stage's own data and the params by name", () => {
  const trace = loadTrace("tanh-trace");
  const body = exportBody(trace, { network: {} }, trace.params, 0.5);
  assert.deepEqual(body.x, trace.values.a0);
  assert.deepEqual(body.network.params, trace.params);
  assert.equal(body.lr, 0.5);
});
