import { test } from "node:test";
import assert from "node:assert/strict";
import { parseProps, serializeProps } from "../../static/js/state.js";
import { DEFAULTS } from "../../static/js/config.js";

test("props round-trip through the URL", () => {
  const props = { preset: "tanh-mlp", k: 3, lr: 0.05, speed: 2, step: 9, present: 1, g: "ops", hide: 1 };
  assert.deepEqual(parseProps(serializeProps(props)), props);
});

test("an empty query gives the defaults, and defaults are left out of the link", () => {
  const props = parseProps("");
  assert.equal(props.preset, DEFAULTS.preset);
  assert.equal(props.lr, DEFAULTS.lr);
  assert.equal(serializeProps(props), "");
});

test("invalid values fall back to the defaults instead of breaking the page", () => {
  const props = parseProps("?preset=%3Cscript%3E&k=0&lr=-1&speed=7");
  assert.equal(props.preset, DEFAULTS.preset);
  assert.equal(props.k, DEFAULTS.example);
  assert.equal(props.lr, DEFAULTS.lr);
});

test("step and presenter flag: invalid values fall back, defaults stay out of the link", () => {
  const props = parseProps("?step=-2&present=yes");
  assert.equal(props.step, 0);
  assert.equal(props.present, 0);
  assert.equal(serializeProps(props), "");
  assert.equal(serializeProps({ ...props, step: 7, present: 1 }), "?step=7&present=1");
});

test("granularity: ops round-trips, anything else is the neuron view", () => {
  assert.equal(parseProps("?g=ops").g, "ops");
  assert.equal(parseProps("?g=graph").g, "neurons");
  assert.equal(serializeProps(parseProps("?g=neurons")), "");
});
