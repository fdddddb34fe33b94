import { test } from "node:test";
import assert from "node:assert/strict";
import { lossReadout } from "../../static/js/lossreadout.js";

const trace = { loss: 0.5 };
const revealed = (ids) => ({ values: new Set(ids) });

test("f is unknown until the forward pass reaches the loss, then the trace's f", () => {
  assert.deepEqual(lossReadout({ trace, revealed: revealed([]), step: { phase: "forward" } }), { known: false, text: "" });
  assert.equal(lossReadout({ trace, revealed: revealed(["loss"]), step: { phase: "backward" } }).text, "f = 0.5");
});

test("during an update, header and stage both say f before → f after", () => {
  const iteration = { update: { loss: 0.5, loss_after: 0.25 } };
  const out = lossReadout({ trace, revealed: revealed(["loss"]), step: { phase: "update" }, iteration });
  assert.deepEqual(out, { known: true, text: "f = 0.5 → 0.25" });
});
