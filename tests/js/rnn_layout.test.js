import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { timeColumns } from "../../static/js/stage/rnn_columns.js";
import { parseRnn, rnnLayout, stepsOf } from "../../static/js/stage/rnn_layout.js";
import { follow } from "../../static/js/stage/viewbox.js";

// graph.nodes of real /backprop answers: a tanh RNN with a loss over every ŷ_t (rnn-truncated)
// and an LSTM with a loss on ŷ_T only (lstm-vs-rnn), both T = 30.
const load = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8")).nodes;
const RNN = load("rnn-graph");
const LSTM = load("lstm-graph");

const left = (b) => b.x - b.width / 2;
const right = (b) => b.x + b.width / 2;
const top = (b) => b.y - b.height / 2;
const bottom = (b) => b.y + b.height / 2;

test("a long sequence keeps five steps at each end and collapses the middle into one column", () => {
  const columns = timeColumns(30);
  assert.deepEqual(columns.map((c) => c.t ?? `${c.from}-${c.to}`), [1, 2, 3, 4, 5, "6-25", 26, 27, 28, 29, 30]);
  assert.equal(timeColumns(12).length, 12); // short sequences are shown whole
  assert.equal(timeColumns(30, { expanded: true }).length, 30);
});

test("the steps in focus get their columns; a run of one step is shown, not collapsed", () => {
  const label = (cols) => cols.map((c) => c.t ?? `${c.from}-${c.to}`);
  assert.deepEqual(label(timeColumns(30, { show: [12, 13] })), [1, 2, 3, 4, 5, "6-11", 12, 13, "14-25", 26, 27, 28, 29, 30]);
  assert.deepEqual(label(timeColumns(30, { show: [7] })), [1, 2, 3, 4, 5, 6, 7, "8-25", 26, 27, 28, 29, 30]);
  assert.deepEqual(label(timeColumns(20, { show: [3] })), [1, 2, 3, 4, 5, "6-15", 16, 17, 18, 19, 20]);
});

test("the RNN's grid: one column per step, rows ŷ over h over z over x, time left to right", () => {
  const layout = rnnLayout(RNN);
  const { boxes } = layout;
  for (const t of [1, 2, 5, 26, 30]) {
    const [y, h, z, x] = ["yhat", "h", "z", "x"].map((row) => boxes.get(`${row}${t}`));
    assert.ok([h, z, x].every((b) => b.x === y.x), `t = ${t} is not one column`);
    assert.ok(y.y < h.y && h.y < z.y && z.y < x.y, `t = ${t}: rows out of order`);
  }
  assert.ok(boxes.get("h1").x < boxes.get("h2").x && boxes.get("h5").x < boxes.get("h26").x);
  assert.equal(boxes.get("h0").y, boxes.get("h1").y);
  assert.ok(boxes.get("h0").x < boxes.get("h1").x);
  assert.ok(boxes.get("loss").x > boxes.get("h30").x);
  // Steps 6 … 25 stand behind one column, between t = 5 and t = 26.
  assert.equal(layout.collapsed.length, 1);
  const [block] = layout.collapsed;
  assert.deepEqual([block.from, block.to], [6, 25]);
  assert.ok(boxes.get("h5").x < block.x && block.x < boxes.get("h26").x);
  for (const id of ["x6", "z6", "h12", "yhat25"]) assert.ok(!boxes.has(id), `${id} should be collapsed`);
  assert.ok(layout.labels.some((l) => l.text === "t = 6 … 25" && l.x === block.x));
});

test("the recurrence runs through the collapsed column: h₅ into it, out of it into z₂₆", () => {
  const { edges, collapsed: [block] } = rnnLayout(RNN);
  const into = edges.find((e) => e.from === "h5" && e.to === block.key);
  const out = edges.find((e) => e.from === block.key && e.to === "z26");
  assert.ok(into && out);
  assert.equal(edges.filter((e) => e.from === block.key && e.to === "z26").length, 1);
});

test("parameters are folded: a chip each beside the row it feeds, and no edges", () => {
  const layout = rnnLayout(RNN);
  const params = RNN.filter((n) => n.role === "param").map((n) => n.id);
  assert.deepEqual(params.sort(), ["W_hh", "W_ih", "W_out", "b_hh", "b_ih", "b_out"]);
  for (const id of params) assert.ok(layout.boxes.has(id), `${id} has no chip`);
  assert.ok(layout.edges.every((e) => !params.includes(e.from) && !params.includes(e.to)));
  const { boxes } = layout;
  assert.equal(boxes.get("W_hh").y, boxes.get("h1").y);
  assert.equal(boxes.get("W_ih").y, boxes.get("x1").y);
  assert.equal(boxes.get("b_ih").y, boxes.get("z1").y);
  assert.equal(boxes.get("W_out").y, boxes.get("yhat1").y);
  assert.equal(boxes.get("W_hh").sub, "in zₜ");
  assert.equal(boxes.get("b_out").sub, "in ŷₜ");
  assert.ok(right(boxes.get("W_hh")) < left(boxes.get("h0")));
});

test("no two boxes overlap and every box is inside the drawing", () => {
  const cases = [["rnn", RNN, {}], ["lstm", LSTM, {}], ["lstm all", LSTM, { expanded: true }], ["rnn focus", RNN, { show: [12, 13] }]];
  for (const [name, nodes, opts] of cases) {
    const layout = rnnLayout(nodes, opts);
    const boxes = [...layout.boxes.entries()].map(([id, b]) => ({ id, ...b }));
    const all = boxes.concat(layout.collapsed.map((b) => ({ id: b.key, ...b })));
    for (const b of all) {
      const inside = left(b) >= 0 && right(b) <= layout.width && top(b) >= 0 && bottom(b) <= layout.height;
      assert.ok(inside, `${name}: ${b.id} outside`);
    }
    for (let i = 0; i < all.length; i += 1) {
      for (const b of all.slice(i + 1)) {
        const a = all[i];
        const apart = right(a) <= left(b) || right(b) <= left(a) || bottom(a) <= top(b) || bottom(b) <= top(a);
        assert.ok(apart, `${name}: ${a.id} overlaps ${b.id}`);
      }
    }
  }
});

test("the step in focus is shown even inside the collapsed range", () => {
  const layout = rnnLayout(RNN, { show: [12, 13] });
  for (const id of ["z12", "h12", "yhat12", "x13", "h13"]) assert.ok(layout.boxes.has(id), `${id} not shown`);
  assert.deepEqual(layout.collapsed.map((b) => [b.from, b.to]), [[6, 11], [14, 25]]);
  assert.ok(layout.edges.some((e) => e.from === "h12" && e.to === "z13"));
  assert.deepEqual(stepsOf(["z12", "W_hh", "loss", "h13"]).sort(), [12, 13]);
});

test("expanded, every step has its column and the drawing is as wide as it needs", () => {
  const layout = rnnLayout(RNN, { expanded: true });
  assert.equal(layout.collapsed.length, 0);
  for (let t = 1; t <= 30; t += 1) assert.ok(layout.boxes.has(`h${t}`));
  assert.ok(layout.width > rnnLayout(RNN).width + 15 * layout.pitch);
});

test("an LSTM adds the cell row between h and z, with z_t → h_t passing beside c_t", () => {
  const layout = rnnLayout(LSTM);
  const { boxes, edges } = layout;
  const [h, c, z] = ["h3", "c3", "z3"].map((id) => boxes.get(id));
  assert.ok(h.y < c.y && c.y < z.y);
  const skip = edges.find((e) => e.from === "z3" && e.to === "h3");
  const xs = skip.points.map((p) => p.x);
  assert.ok(xs.every((x) => x > right(c) && x < right(z)), "z₃ → h₃ runs through c₃");
  const belt = edges.find((e) => e.from === "c2" && e.to === "c3");
  assert.equal(belt.points[0].y, belt.points[1].y); // the cell state runs straight along its row
  assert.equal(boxes.get("c0").y, c.y);
  // One loss term, on ŷ_T: a single edge from ŷ₃₀ into the loss, no bus.
  assert.deepEqual(edges.filter((e) => e.to === "loss").map((e) => e.from).sort(), ["y", "yhat30"]);
});

test("a loss over every ŷ_t gathers them on one bus above the ŷ row", () => {
  const layout = rnnLayout(RNN);
  const { boxes, edges } = layout;
  const terms = edges.filter((e) => e.to === "loss" && e.from !== "y");
  // Ten steps shown, and the collapsed column standing for ŷ₆ … ŷ₂₅.
  assert.equal(terms.length, 11);
  const busY = terms[0].points[1].y;
  for (const e of terms) {
    assert.equal(e.points.length, 4);
    assert.equal(e.points[1].y, busY);
    assert.equal(e.points[2].y, busY);
  }
  assert.ok(busY < top(boxes.get("yhat1")) && busY > Math.max(...layout.labels.map((l) => l.y)));
});

test("a graph that is not an unrolled RNN gets no time layout", () => {
  const skip = [
    { id: "x", op: "input", inputs: [], role: "input" }, { id: "W1", op: "param", inputs: [], role: "param" },
    { id: "z1", op: "matmul", inputs: ["x", "W1"], role: "op" }, { id: "s", op: "add", inputs: ["z1", "x"], role: "op" },
    { id: "y", op: "input", inputs: [], role: "input" }, { id: "loss", op: "mse", inputs: ["s", "y"], role: "loss" },
  ];
  assert.equal(parseRnn(skip), null);
  assert.equal(rnnLayout(skip), null);
});

test("following can keep a wider margin along time than across the rows", () => {
  const view = { x: 0, y: 0, w: 400, h: 200 };
  const box = { x: 350, y: 20, width: 40, height: 20 };
  assert.deepEqual(follow(view, box, 100, 10), { x: 90, y: 0, w: 400, h: 200 });
});
