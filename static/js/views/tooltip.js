/**
 * The hover / focus tooltip: for a unit of layer i its z, a, ∂f/∂z and ∂f/∂a (example k);
 * for an edge W_ij and ∂f/∂W_ij; for a bias b_ij and ∂f/∂b_ij. A value not computed yet
 * at the current step is shown as "not yet computed", so the tooltip never runs ahead.
 */

import { formatNumber } from "../format.js";
import { stageGradSymbol as gradSymbolOf, stageSymbol as symbolOf } from "../stage/names.js";

function entry(trace, source, known, id, index) {
  if (!known.has(id)) return "not yet computed";
  let v = source[id];
  for (const i of index) v = Array.isArray(v) ? v[i] : v;
  return formatNumber(v);
}

/** A node's numbers for example k: up to 4 listed, else the norm. */
function summary(v, k, isKnown) {
  if (!isKnown || v === undefined) return "not yet computed";
  const slice = Array.isArray(v) && Array.isArray(v[0]) ? v[Math.min(k, v.length - 1)] : v;
  const flat = [slice].flat(Infinity);
  if (flat.length <= 4) return flat.map((x) => formatNumber(x)).join(", ");
  return `‖·‖ = ${formatNumber(Math.sqrt(flat.reduce((s, x) => s + x * x, 0)))}`;
}

function opRows(target, ctx) {
  const { trace, revealed, k } = ctx;
  return [["op", target.op], ["shape", `(${target.shape.join(", ")})`],
    [symbolOf(target.node), summary(trace.values[target.node], k, revealed.values.has(target.node))],
    [gradSymbolOf(target.node), summary(trace.grads?.[target.node], k, revealed.grads.has(target.node))]];
}

function rowsFor(target, ctx) {
  const { trace, revealed, k } = ctx;
  if (target.kind === "op") return opRows(target, ctx);
  const val = (id, index) => entry(trace, trace.values, revealed.values, id, index);
  const grad = (id, index) => entry(trace, trace.grads, revealed.grads, id, index);
  if (target.kind === "edge") {
    const { W, row, col } = target;
    const w = ctx.paramsShown[W][row][col];
    return [[`${symbolOf(W)}[${row + 1},${col + 1}]`, formatNumber(w)],
      [`∂f/∂${symbolOf(W)}[${row + 1},${col + 1}]`, grad(W, [row, col])]];
  }
  if (target.kind === "bias") {
    const { node, j } = target;
    return [[`${symbolOf(node)}[${j + 1}]`, val(node, [j])], [`${gradSymbolOf(node)}[${j + 1}]`, grad(node, [j])]];
  }
  if (target.kind === "neuron") {
    const z = `z${target.layer}`;
    const a = `a${target.layer}`;
    const idx = [k, target.j];
    return [[symbolOf(z), val(z, idx)], [symbolOf(a), val(a, idx)],
      [gradSymbolOf(z), grad(z, idx)], [gradSymbolOf(a), grad(a, idx)]];
  }
  const { node, j } = target;
  const idx = node === "loss" ? [] : [k, j];
  const rows = [[symbolOf(node), val(node, idx)]];
  if (node !== "y" && node !== "loss") rows.push([gradSymbolOf(node), grad(node, idx)]);
  return rows;
}

function titleOf(target, k) {
  if (target.kind === "op") return `${symbolOf(target.node)} (${target.op}), example ${k + 1}`;
  if (target.kind === "edge") return `weight ${symbolOf(target.W)}, row ${target.row + 1}, column ${target.col + 1}`;
  if (target.kind === "bias") return `bias ${symbolOf(target.node)}, unit ${target.j + 1}`;
  if (target.kind === "neuron") return `layer ${target.layer}, unit ${target.j + 1}, example ${k + 1}`;
  if (target.node === "loss") return "loss f";
  return `${symbolOf(target.node)}, unit ${target.j + 1}, example ${k + 1}`;
}

export class TooltipView {
  constructor(root) {
    this.root = root;
    this.target = null;
  }

  /** Shows the tooltip for `target` next to `anchor` (an SVG element), or hides it. */
  show(target, anchor, ctx) {
    this.target = target;
    this.anchor = anchor;
    if (!target) {
      this.root.hidden = true;
      return;
    }
    this.render(ctx);
    const box = anchor.getBoundingClientRect();
    const x = Math.min(box.right + 12, window.innerWidth - this.root.offsetWidth - 8);
    const y = Math.max(8, Math.min(box.top, window.innerHeight - this.root.offsetHeight - 8));
    this.root.style.left = `${x + window.scrollX}px`;
    this.root.style.top = `${y + window.scrollY}px`;
  }

  /** Re-renders the visible tooltip after a step (its numbers may have been revealed). */
  render(ctx) {
    if (!this.target) return;
    const rows = rowsFor(this.target, ctx);
    const title = document.createElement("div");
    title.className = "tooltip-title";
    title.textContent = titleOf(this.target, ctx.k);
    const table = document.createElement("table");
    for (const [name, value] of rows) {
      const tr = table.insertRow();
      tr.insertCell().textContent = name;
      const cell = tr.insertCell();
      cell.textContent = value;
      cell.dataset.name = name;
    }
    this.root.replaceChildren(title, table);
    this.root.hidden = false;
  }
}
