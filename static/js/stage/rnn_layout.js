/**
 * The op view's layout of an unrolled RNN or LSTM (trace kind "rnn"), in time: one column
 * per step t, one row per kind of node, top to bottom ŷ_t, h_t, c_t (LSTM), z_t, x_t, so
 * the recurrence h_{t−1} → z_t (and c_{t−1} → c_t) reads left to right. The parameters are
 * shared by every step: they stand in one column at the left, each beside the row it
 * feeds (W_hh beside h, W_ih beside x, W_out beside ŷ), with no edge to each of its uses. h₀ (and c₀) get the column t = 0; the loss and its target the last column.
 * Long sequences collapse their middle steps into one column (rnn_columns.js).
 * Pure (no DOM). Same answer shape as stageLayout: {width, height, boxes, edges}, plus the
 * column labels and the collapsed columns.
 */

import { BOX } from "./box.js";
import { runKey, timeColumns } from "./rnn_columns.js";

/** Rows top to bottom, by the letters of a node id ("yhat12" is row yhat at t = 12). */
export const ROWS = Object.freeze(["yhat", "h", "c", "z", "x"]);
const ROW_SYMBOL = { yhat: "ŷₜ", h: "hₜ", c: "cₜ", z: "zₜ", x: "xₜ" };
const TIMED = /^([a-z]+?)(\d+)$/;

export const RNN_GEOMETRY = Object.freeze({
  // Compact across the rows: the stage is short beside the scene's panel, long along time.
  gapX: 50, gapY: 26, header: 32, bus: 28, marginY: 12,
  // The LSTM's c_t box is narrower and shifted left, leaving a lane for z_t → h_t beside it.
  cellWidth: 84, cellShift: -18, lane: 42,
  paramHeight: 44, paramGap: 10, paramColumn: 170,
});

/**
 * The nodes sorted into the grid: {steps: T, cells: Map id -> {row, t}, params, end, rows},
 * or null when some computed node is not one of the rows (not an RNN this layout knows).
 */
export function parseRnn(nodes) {
  const cells = new Map();
  const params = [];
  const end = [];
  for (const node of nodes) {
    const match = TIMED.exec(node.id);
    if (node.role === "param") params.push(node.id);
    else if (match && ROWS.includes(match[1])) cells.set(node.id, { row: match[1], t: Number(match[2]) });
    else if (node.role === "op") return null;
    // The loss first in its column, its target(s) under it.
    else if (node.role === "loss") end.unshift(node.id);
    else end.push(node.id);
  }
  const steps = Math.max(0, ...[...cells.values()].map((c) => c.t));
  const rows = ROWS.filter((row) => [...cells.values()].some((c) => c.row === row));
  if (steps === 0 || !rows.includes("h")) return null;
  return { steps, cells, params, end, rows };
}

/** The time steps a set of node ids belongs to (for the `show` option). */
export function stepsOf(ids) {
  const steps = new Set();
  for (const id of ids) {
    const match = TIMED.exec(id);
    if (match && ROWS.includes(match[1])) steps.add(Number(match[2]));
  }
  return [...steps];
}

/** The x of every column's centre: params, t = 0, the time columns, the loss. */
function columnsOf(grid, { expanded, show }) {
  const list = [];
  if (grid.params.length) list.push({ kind: "params", label: "shared by all t", width: RNN_GEOMETRY.paramColumn });
  if ([...grid.cells.values()].some((c) => c.t === 0)) list.push({ kind: "step", t: 0, label: "t = 0" });
  for (const col of timeColumns(grid.steps, { expanded, show })) {
    list.push(col.t === undefined
      ? { kind: "run", from: col.from, to: col.to, key: runKey(col), label: `t = ${col.from} … ${col.to}` }
      : { kind: "step", t: col.t, label: `t = ${col.t}` });
  }
  if (grid.end.length) list.push({ kind: "end", label: "loss" });
  let edge = BOX.margin - RNN_GEOMETRY.gapX;
  list.forEach((col, i) => {
    col.width ??= BOX.width;
    col.x = edge + RNN_GEOMETRY.gapX + col.width / 2;
    col.index = i;
    edge = col.x + col.width / 2;
  });
  return list;
}

/** The y of each row's centre, and the band the rows fill. */
function rowsOf(grid, withBus) {
  const top = RNN_GEOMETRY.marginY + RNN_GEOMETRY.header + (withBus ? RNN_GEOMETRY.bus : 0);
  const y = new Map(grid.rows.map((row, i) => [row, top + BOX.height / 2 + i * (BOX.height + RNN_GEOMETRY.gapY)]));
  const bottom = top + grid.rows.length * BOX.height + (grid.rows.length - 1) * RNN_GEOMETRY.gapY;
  return { y, top, bottom, busY: top - RNN_GEOMETRY.bus / 2 };
}

/** The rows of the nodes that read `param`. */
function usesOf(param, nodes, cells) {
  return [...new Set(nodes.filter((n) => n.inputs.includes(param) && cells.has(n.id)).map((n) => cells.get(n.id).row))];
}

/**
 * The row a parameter's chip stands in: W_hh beside h (it multiplies h_{t−1}), W_ih beside x,
 * any other beside the op that reads it (the biases beside z_t, W_out and b_out beside ŷ_t).
 */
function paramRow(id, uses, rows) {
  if (/^W_?hh$/i.test(id) && rows.includes("h")) return "h";
  if (/^W_?(ih|xh)$/i.test(id) && rows.includes("x")) return "x";
  return uses.length === 1 ? uses[0] : null;
}

/** The parameters' chips: two to a row beside their use, or (failing that) one column. */
function placeParams(col, grid, nodes, rows, boxes) {
  const { paramHeight, paramGap, paramColumn } = RNN_GEOMETRY;
  const chips = grid.params.map((id) => {
    const uses = usesOf(id, nodes, grid.cells);
    return { id, uses, row: paramRow(id, uses, grid.rows) };
  });
  const perRow = new Map();
  chips.forEach((c) => perRow.set(c.row, [...(perRow.get(c.row) ?? []), c]));
  const note = (c) => (c.uses.length ? `in ${c.uses.map((r) => ROW_SYMBOL[r]).join(", ")}` : "param");
  if (!perRow.has(null) && [...perRow.values()].every((list) => list.length <= 2)) {
    const width = (paramColumn - paramGap) / 2;
    for (const [row, list] of perRow) {
      list.forEach((c, i) => {
        const x = col.x + (list.length === 1 ? 0 : (i - 0.5) * (width + paramGap));
        boxes.set(c.id, { x, y: rows.y.get(row), width, height: BOX.height, sub: note(c) });
      });
    }
    return;
  }
  const total = chips.length * paramHeight + (chips.length - 1) * paramGap;
  const y0 = (rows.top + rows.bottom) / 2 - total / 2 + paramHeight / 2;
  chips.forEach((c, i) => {
    boxes.set(c.id, { x: col.x, y: y0 + i * (paramHeight + paramGap), width: BOX.width, height: paramHeight, sub: note(c) });
  });
}

function cellBox(row, x, y) {
  if (row !== "c") return { x, y, width: BOX.width, height: BOX.height };
  return { x: x + RNN_GEOMETRY.cellShift, y, width: RNN_GEOMETRY.cellWidth, height: BOX.height };
}

/** Boxes of the shown nodes; `rep` maps every node (shown or collapsed) to what stands for it. */
function placeAll(grid, nodes, columns, rows) {
  const boxes = new Map();
  const rep = new Map();
  const colOf = new Map();
  const collapsed = [];
  const stepCol = new Map();
  for (const col of columns) {
    if (col.kind === "step") stepCol.set(col.t, col);
    if (col.kind === "run") {
      const block = { key: col.key, from: col.from, to: col.to, x: col.x, width: BOX.width,
        y: (rows.top + rows.bottom) / 2, height: rows.bottom - rows.top };
      collapsed.push(block);
      colOf.set(col.key, col.index);
      for (let t = col.from; t <= col.to; t += 1) stepCol.set(t, { ...col, block });
    }
    if (col.kind === "params") placeParams(col, grid, nodes, rows, boxes);
    if (col.kind === "end") {
      // The loss in the top row (beside ŷ_T), its target under it.
      grid.end.forEach((id, i) => {
        const row = grid.rows[Math.min(i, grid.rows.length - 1)];
        boxes.set(id, { x: col.x, y: rows.y.get(row), width: BOX.width, height: BOX.height });
        colOf.set(id, col.index);
      });
    }
  }
  for (const [id, { row, t }] of grid.cells) {
    const col = stepCol.get(t);
    if (col.block) {
      rep.set(id, col.block.key);
    } else {
      boxes.set(id, cellBox(row, col.x, rows.y.get(row)));
      colOf.set(id, col.index);
    }
  }
  return { boxes, rep, colOf, collapsed };
}

const left = (b) => b.x - b.width / 2;
const right = (b) => b.x + b.width / 2;
const top = (b) => b.y - b.height / 2;
const bottom = (b) => b.y + b.height / 2;

/** The polyline of one edge from box `a` (leaving at row height ya) to box `b` (at yb). */
function route(a, b, ya, yb, { sameColumn, skipsRow, bus }) {
  if (bus !== null) return [{ x: a.x, y: top(a) }, { x: a.x, y: bus }, { x: b.x, y: bus }, { x: b.x, y: top(b) }];
  if (!sameColumn) return [{ x: right(a), y: ya }, { x: left(b), y: yb }];
  const up = a.y > b.y;
  const from = up ? top(a) : bottom(a);
  const to = up ? bottom(b) : top(b);
  // Past the narrow c_t box, in the lane beside it; otherwise through the boxes' overlap.
  const x = skipsRow ? Math.max(a.x, b.x) + RNN_GEOMETRY.lane
    : (Math.max(left(a), left(b)) + Math.min(right(a), right(b))) / 2;
  return [{ x, y: from }, { x, y: to }];
}

function edgesOf(nodes, grid, placed, rows, withBus) {
  const { boxes, rep, colOf, collapsed } = placed;
  const blocks = new Map(collapsed.map((b) => [b.key, b]));
  const rowY = (id) => rows.y.get(grid.cells.get(id)?.row) ?? boxes.get(id)?.y;
  const shape = (key) => boxes.get(key) ?? blocks.get(key);
  const lossIds = new Set(nodes.filter((n) => n.role === "loss").map((n) => n.id));
  const seen = new Map();
  for (const node of nodes) {
    for (const input of node.inputs) {
      if (grid.params.includes(input)) continue;
      const from = rep.get(input) ?? input;
      const to = rep.get(node.id) ?? node.id;
      const a = shape(from);
      const b = shape(to);
      if (from === to || !a || !b) continue;
      const ya = rowY(input);
      const yb = rowY(node.id);
      const key = `${from}>${to}>${ya}>${yb}`;
      if (seen.has(key)) continue;
      const sameColumn = colOf.get(from) === colOf.get(to);
      const gap = Math.abs(grid.rows.indexOf(grid.cells.get(input)?.row) - grid.rows.indexOf(grid.cells.get(node.id)?.row));
      const bus = withBus && lossIds.has(node.id) && grid.cells.get(input)?.row === "yhat" ? rows.busY : null;
      seen.set(key, { from, to, points: route(a, b, ya, yb, { sameColumn, skipsRow: sameColumn && gap > 1, bus }) });
    }
  }
  return [...seen.values()];
}

/**
 * The layout of the unrolled network, or null when `nodes` is not an RNN's graph.
 * Options: `expanded` shows every step; `show` lists steps that must have their column.
 */
export function rnnLayout(nodes, { expanded = false, show = [] } = {}) {
  const grid = parseRnn(nodes);
  if (grid === null) return null;
  const loss = nodes.find((n) => n.role === "loss");
  // A loss over every ŷ_t gathers them on a bus above the ŷ row, not in a fan of lines.
  const withBus = Boolean(loss) && loss.inputs.filter((id) => grid.cells.get(id)?.row === "yhat").length > 1;
  const columns = columnsOf(grid, { expanded, show });
  const rows = rowsOf(grid, withBus);
  const placed = placeAll(grid, nodes, columns, rows);
  const edges = edgesOf(nodes, grid, placed, rows, withBus);
  // Label baselines near the header's foot, so 20-unit text sits inside it.
  const labelY = RNN_GEOMETRY.marginY + RNN_GEOMETRY.header - 8;
  const labels = columns.map((col) => ({ x: col.x, y: labelY, text: col.label, kind: col.kind }));
  const width = columns[columns.length - 1].x + BOX.width / 2 + BOX.margin;
  const height = rows.bottom + RNN_GEOMETRY.marginY;
  const pitch = BOX.width + RNN_GEOMETRY.gapX;
  return { width, height, boxes: placed.boxes, edges, labels, collapsed: placed.collapsed, steps: grid.steps, pitch };
}
