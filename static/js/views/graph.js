/**
 * The neuron view: one SVG with every unit of the MLP. Each layer's unit is a circle whose
 * left half is z_i and right half a_i; biases are small squares beside their unit; edges
 * are the weights, coloured by sign and as wide as |W_ij|. The view owns its SVG subtree:
 * build(trace) once per network, update(view) on every step.
 *
 * data-testids: node-<id> on the group of each graph node (vector or parameter),
 * unit-<id>-<j> on each drawn unit, edge-<W>-<row>-<col> on each drawn weight.
 * With numbers hidden until reached (view.hide), a unit whose number a later step computes
 * holds a "?" (its own text, drawn once, so nothing moves) and carries data-pending.
 */

import { COLOURS, LAYOUT } from "../config.js";
import { divergingColour, maxAbs, signColour } from "../colour.js";
import { computeLayout, edgeWidth, layerSizes } from "../layout.js";
import { PENDING, lossReadout } from "../lossreadout.js";
import { pendingNodes } from "../stage/pending.js";
import { symbolOf } from "../format.js";
import { halfCircle, svgEl, svgText } from "./svg.js";

const BIAS_SIZE = 16;

// A tab stop's accessible name: the lecture's symbol and the unit's place in its layer.
function unitTarget(kind, id, j, extra = {}) {
  return { "data-testid": `unit-${id}-${j}`, "data-node": id, "data-unit": j, "data-kind": kind,
    role: "img", "aria-label": `${symbolOf(id)}, unit ${j + 1}`, ...extra };
}

export class GraphView {
  constructor(svg, { onHover }) {
    this.svg = svg;
    this.onHover = onHover;
    this.units = [];   // {el, node, j, role: "value"|"param"}
    this.edges = [];   // {el, W, row, col}
    this.groups = new Map();
  }

  group(id, parent, cls) {
    const g = svgEl("g", { "data-testid": `node-${id}`, class: `node ${cls}`, "data-node": id }, parent);
    this.groups.set(id, g);
    return g;
  }

  /** Draws the network of `trace` from scratch. */
  build(trace) {
    this.svg.replaceChildren();
    Object.assign(this.svg.style, { width: "", height: "", maxHeight: "" });
    document.body.dataset.view = "neurons";
    this.units = [];
    this.edges = [];
    this.groups = new Map();
    this.trace = trace;
    const sizes = layerSizes(trace.graph);
    const layout = computeLayout(sizes);
    this.layout = layout;
    this.svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    this.svg.setAttribute("aria-label", `Network with layer widths ${sizes.join(", ")}`);
    const edgeLayer = svgEl("g", { class: "edges" }, this.svg);
    const unitLayer = svgEl("g", { class: "units" }, this.svg);
    const labelLayer = svgEl("g", { class: "labels", "aria-hidden": "true" }, this.svg);
    const ids = new Set(trace.graph.nodes.map((n) => n.id));
    this.drawEdges(edgeLayer, layout, ids);
    this.drawColumns(unitLayer, labelLayer, layout, ids);
    this.drawMarks(svgEl("g", { class: "pending-marks", "aria-hidden": "true" }, this.svg));
  }

  /** The "?" of every unit a later step computes: inside its half, its bias square or f. */
  drawMarks(parent) {
    for (const u of this.units) {
      if (u.node === "a0" || u.node === "y") continue; // given: never pending
      const { x, y, size } = u.at;
      u.mark = svgText(PENDING, { x, y: y + size * 0.36, class: "pending-mark", "font-size": size, visibility: "hidden" }, parent);
    }
  }

  drawEdges(parent, layout, ids) {
    for (let i = 1; i <= layout.depth; i += 1) {
      const g = this.group(`W${i}`, parent, "param-edges");
      const from = layout.columns[i - 1];
      const to = layout.columns[i];
      for (const a of from.units) {
        for (const b of to.units) {
          if (a.unit === null || b.unit === null) continue;
          const el = svgEl("line", {
            x1: a.x + layout.radius, y1: a.y, x2: b.x - layout.radius, y2: b.y,
            "data-testid": `edge-W${i}-${b.unit}-${a.unit}`, "data-node": `W${i}`,
            "data-row": b.unit, "data-col": a.unit, class: "edge",
            // Focus listeners would make every edge a tab stop (dozens); the units are the stops.
            tabindex: -1,
          }, g);
          this.edges.push({ el, W: `W${i}`, row: b.unit, col: a.unit });
          this.listen(el, { kind: "edge", W: `W${i}`, row: b.unit, col: a.unit });
        }
      }
    }
    const lossGroup = svgEl("g", { class: "loss-edges" }, parent);
    const lossUnit = layout.columns[layout.columns.length - 1].units[0];
    for (const column of [layout.columns[layout.depth], layout.columns[layout.depth + 1]]) {
      for (const u of column.units) {
        if (u.unit === null) continue;
        svgEl("line", { x1: u.x + layout.radius, y1: u.y, x2: lossUnit.x - layout.radius, y2: lossUnit.y, class: "edge loss-edge" }, lossGroup);
      }
    }
  }

  drawColumns(parent, labels, layout, ids) {
    const r = layout.radius;
    // Narrow columns (deep nets) get short labels: x, 1 … d, y, f.
    const narrow = layout.columns.length > 1 && layout.columns[1].x - layout.columns[0].x < 150;
    const label = (id, c) => {
      if (id === "loss") return "f";
      if (id === "y") return "y";
      if (id === "a0") return narrow ? "x" : "a₀ = x";
      return narrow ? String(c) : `${symbolOf(`z${c}`)} | ${symbolOf(`a${c}`)}`;
    };
    layout.columns.forEach((column, c) => {
      const top = layout.labelY;
      if (column.id === "a0" || column.id === "y" || column.id === "loss") {
        const g = this.group(column.id, parent, "vector");
        const radius = column.id === "loss" ? r * 1.35 : r;
        for (const u of column.units) this.drawCircle(g, column.id, u, radius);
        if (column.id === "loss") {
          const u = column.units[0];
          this.lossText = svgText("", { x: u.x, y: u.y + radius + 30, class: "loss-label" }, labels);
        }
        svgText(label(column.id, c), { x: column.x, y: top, class: "col-label" }, labels);
        return;
      }
      const zGroup = this.group(`z${c}`, parent, "vector z-half");
      const aGroup = this.group(`a${c}`, parent, "vector a-half");
      const bGroup = ids.has(`b${c}`) ? this.group(`b${c}`, parent, "bias") : null;
      for (const u of column.units) {
        if (u.unit === null) {
          svgText("⋮", { x: u.x, y: u.y + 10, class: "ellipsis" }, labels);
          continue;
        }
        this.drawHalf(zGroup, `z${c}`, u, r, 0, { layer: c });
        this.drawHalf(aGroup, `a${c}`, u, r, 1, { layer: c });
        if (bGroup) this.drawBias(bGroup, `b${c}`, u, r, { layer: c });
      }
      svgText(label(column.id, c), { x: column.x, y: top, class: "col-label" }, labels);
    });
  }

  drawCircle(parent, id, u, radius) {
    if (u.unit === null) return;
    const el = svgEl("circle", { cx: u.x, cy: u.y, r: radius, class: "unit", tabindex: 0, ...unitTarget("vector", id, u.unit) }, parent);
    this.units.push({ el, node: id, j: u.unit, at: { x: u.x, y: u.y, size: radius } });
    this.listen(el, { kind: "unit", node: id, j: u.unit });
  }

  drawHalf(parent, id, u, r, side, { layer }) {
    const attrs = { d: halfCircle(u.x, u.y, r, side), class: "unit", ...unitTarget("vector", id, u.unit) };
    // One tab stop per unit, its a-half, named for both halves.
    if (side === 1) Object.assign(attrs, { tabindex: 0, "aria-label": `${symbolOf(`z${layer}`)} and ${symbolOf(id)}, unit ${u.unit + 1}` });
    else attrs.tabindex = -1;
    const el = svgEl("path", attrs, parent);
    this.units.push({ el, node: id, j: u.unit, at: { x: u.x + (side ? r : -r) / 2, y: u.y, size: r * 0.8 } });
    this.listen(el, { kind: "neuron", layer, j: u.unit });
  }

  drawBias(parent, id, u, r, { layer }) {
    const el = svgEl("rect", {
      x: u.x - r - BIAS_SIZE - 2, y: u.y - r - 2, width: BIAS_SIZE, height: BIAS_SIZE, class: "unit bias-unit",
      ...unitTarget("bias", id, u.unit), tabindex: -1,
    }, parent);
    const at = { x: u.x - r - 2 - BIAS_SIZE / 2, y: u.y - r - 2 + BIAS_SIZE / 2, size: BIAS_SIZE * 0.8 };
    this.units.push({ el, node: id, j: u.unit, at });
    this.listen(el, { kind: "bias", node: id, layer, j: u.unit });
  }

  listen(el, target) {
    const show = (event) => this.onHover(target, event.currentTarget, event);
    el.addEventListener("mouseenter", show);
    el.addEventListener("focus", show);
    el.addEventListener("mouseleave", () => this.onHover(null));
    el.addEventListener("blur", () => this.onHover(null));
  }

  /**
   * Recolours and highlights for a step. `view` = {trace, update, revealed, step, k,
   * colourBy: "value"|"grad", active: Set, sources: Set}.
   */
  update(view) {
    const { trace, revealed, k, colourBy } = view;
    const source = colourBy === "grad" ? trace.grads : trace.values;
    const known = colourBy === "grad" ? revealed.grads : revealed.values;
    const rowOf = (id) => {
      const v = source[id];
      if (!Array.isArray(v)) return [v];
      return Array.isArray(v[0]) && !/^b\d+$/.test(id) ? v[Math.min(k, v.length - 1)] : v.flat();
    };
    // The loss is one positive number on its own scale: it gets a label, not a colour,
    // so a huge loss does not wash out every unit.
    const units = this.units.filter((u) => u.node !== "loss");
    const scale = maxAbs(...units.filter((u) => known.has(u.node)).map((u) => rowOf(u.node)[u.j]));
    for (const u of units) {
      const value = known.has(u.node) ? rowOf(u.node)[u.j] : undefined;
      u.el.style.fill = value === undefined ? COLOURS.unknown : divergingColour(value, scale);
      u.el.classList.toggle("unknown", value === undefined);
    }
    this.updateLoss(view);
    this.updateEdges(view);
    this.updateMarks(pendingNodes(view));
    for (const [id, g] of this.groups) {
      g.classList.toggle("active", view.active.has(id));
      g.classList.toggle("source", view.sources.has(id));
    }
    this.svg.classList.toggle("stepping", view.active.size > 0);
  }

  updateMarks(pending) {
    for (const u of this.units) {
      const on = pending.has(u.node);
      u.mark?.setAttribute("visibility", on ? "visible" : "hidden");
      if (on) u.el.dataset.pending = "true";
      else delete u.el.dataset.pending;
    }
  }

  updateLoss(view) {
    const { known, text } = lossReadout(view);
    for (const u of this.units.filter((x) => x.node === "loss")) {
      u.el.style.fill = known ? COLOURS.loss : COLOURS.unknown;
      u.el.classList.toggle("unknown", !known);
    }
    // Hidden numbers: f's place says it is still to come, at the width it will take.
    if (this.lossText) this.lossText.textContent = text || (view.hide ? `f = ${PENDING}` : "");
  }

  updateEdges(view) {
    const params = view.paramsShown;
    const maxW = maxAbs(...Object.entries(params).filter(([n]) => /^W\d+$/.test(n)).map(([, v]) => v));
    for (const e of this.edges) {
      const w = params[e.W][e.row][e.col];
      e.el.style.stroke = signColour(w);
      e.el.style.strokeWidth = String(edgeWidth(w, maxW));
    }
  }
}

export { LAYOUT };
