/**
 * The op view, for networks that are not plain MLPs (kind "graph", "rnn"): one box per
 * graph node (its symbol and op), arrows from inputs to the op that reads them. A box is
 * coloured by the mean of its value (forward, update) or of its gradient (backward) for
 * example k. Same interface as GraphView: build(trace), update(view). A graph is laid out
 * by dagre (stage/layout.js), an RNN in time, one column per step (stage/rnn_layout.js);
 * zoom, pan, fit and folding keep ~200 nodes readable, and the node being stepped is kept
 * in view. An RNN's collapsed middle steps open where the cursor is, and on a click.
 * With numbers hidden until reached (view.hide), a box whose number a later step computes
 * wears a "?" badge on its corner (drawn once with the box, so nothing moves) and carries
 * data-pending.
 */

import { COLOURS } from "../config.js";
import { divergingColour, maxAbs, textOn } from "../colour.js";
import { BOX, stageLayout } from "../stage/layout.js";
import { parseRnn, rnnLayout, stepsOf } from "../stage/rnn_layout.js";
import { ARROW_ID, drawDecor, ensureArrow } from "../stage/rnn_decor.js";
import { Zoomable } from "../stage/zoomable.js";
import { PENDING } from "../lossreadout.js";
import { stageSymbol } from "../stage/names.js";
import { pendingNodes } from "../stage/pending.js";
import { svgEl, svgText } from "./svg.js";

function meanOf(v, k) {
  if (!Array.isArray(v)) return v;
  const slice = Array.isArray(v[0]) ? v[Math.min(k, v.length - 1)] : v;
  const flat = [slice].flat(Infinity);
  return flat.reduce((s, x) => s + x, 0) / flat.length;
}

// Graphs with more nodes than this start with their inputs and parameters folded away.
const FOLD_ABOVE = 60;
// Screen pixels per drawing unit at which a box's labels read comfortably (24-unit labels
// at ~19 px); in presenter mode the unrolled RNN is drawn larger, for the back row.
const NATURAL_PX_PER_UNIT = 0.8;
const PRESENT_PX_PER_UNIT = 1.05;
// The smallest: the RNN's 17-unit op names at ≥ 12.9 px.
const MIN_PX_PER_UNIT = 0.76;

const isPresenting = () => document.body.classList.contains("presenting");
const sameSteps = (a, b) => a.length === b.length && a.every((t, i) => t === b[i]);

export class OpGraphView {
  constructor(svg, { onHover }) {
    this.svg = svg;
    this.onHover = onHover;
    this.groups = new Map();
    this.blocks = new Map();
    this.foldLeaves = null; // null: folded for big graphs until the user chooses
    this.expanded = false; // an RNN's collapsed middle steps, shown on demand
    this.focus = [];
    this.tools = null;
    this.watchScreen();
  }

  build(trace) {
    this.trace = trace;
    this.svg.replaceChildren();
    this.groups = new Map();
    const { nodes } = trace.graph;
    this.rnn = trace.kind === "rnn" && parseRnn(nodes) !== null;
    this.focus = [];
    this.prevActive = null;
    const t0 = performance.now();
    const layout = this.computeLayout();
    this.svg.dataset.layoutMs = (performance.now() - t0).toFixed(1);
    this.svg.dataset.layout = this.rnn ? "rnn" : "dagre";
    this.svg.setAttribute("aria-label", `Computation graph with ${nodes.length} nodes`);
    document.body.dataset.view = "ops";
    if (this.rnn) ensureArrow(this.svg);
    this.layers = {
      edges: svgEl("g", { class: "edges" }, this.svg),
      decor: svgEl("g", { class: "rnn-decor" }, this.svg),
      units: svgEl("g", { class: "units" }, this.svg),
      hidden: svgEl("g", { class: "folded", "aria-hidden": "true" }, this.svg),
    };
    this.layers.hidden.style.display = "none";
    for (const node of nodes) this.drawBox(node);
    this.place(layout);
    this.mountTools();
    this.fitToScreen();
  }

  folded() {
    return this.foldLeaves ?? this.trace.graph.nodes.length > FOLD_ABOVE;
  }

  computeLayout() {
    const { nodes } = this.trace.graph;
    if (this.rnn) return rnnLayout(nodes, { expanded: this.expanded, show: this.focus });
    return stageLayout(nodes, { foldLeaves: this.folded() });
  }

  /** Moves every box to `layout` (hiding those it leaves out) and redraws the edges. */
  place(layout) {
    this.layout = layout;
    const { edges, decor, units, hidden } = this.layers;
    edges.replaceChildren();
    const marker = this.rnn ? `url(#${ARROW_ID})` : null;
    this.edgeEls = layout.edges.map(({ from, to, points }) => {
      const line = points.map((q) => `${q.x},${q.y}`).join(" ");
      return { from, to, el: svgEl("polyline", { points: line, class: "edge op-edge", "marker-end": marker }, edges) };
    });
    this.blocks = this.rnn ? drawDecor(decor, layout, () => this.expand()) : new Map();
    for (const [id, entry] of this.groups) {
      const at = layout.boxes.get(id);
      const parent = at ? units : hidden;
      if (entry.g.parentNode !== parent) parent.append(entry.g);
      if (at) this.moveBox(entry, at);
    }
  }

  /**
   * Sizes the stage and opens the drawing at reading size, at its left end. A graph sets
   * its own height; an RNN takes the height the page gives its stage, no less than its rows
   * need to be read (MIN_PX_PER_UNIT), and scrolls along time.
   */
  fitToScreen() {
    const { style } = this.svg;
    let px = NATURAL_PX_PER_UNIT;
    if (this.rnn) {
      const least = Math.ceil(this.layout.height * MIN_PX_PER_UNIT);
      Object.assign(style, { width: "100%", height: "", maxHeight: "none", minHeight: `${least}px` });
      const reading = isPresenting() ? PRESENT_PX_PER_UNIT : NATURAL_PX_PER_UNIT;
      px = Math.min(reading, Math.max(MIN_PX_PER_UNIT, this.svg.getBoundingClientRect().height / this.layout.height));
    } else {
      const height = Math.min(460, Math.max(240, this.layout.height * 0.8));
      Object.assign(style, { width: "100%", height: `${Math.round(height)}px`, maxHeight: "none", minHeight: "" });
    }
    // A big graph fitted whole has unreadable boxes: it opens at reading size, at its left end.
    this.zoom.setDrawing(this.layout.width, this.layout.height, px);
    this.svg.dataset.pxPerUnit = px.toFixed(3);
    this.screenKey = this.screenKeyNow();
    if (this.lastView) this.followActive(this.lastView.active);
  }

  screenKeyNow() {
    const { width, height } = this.svg.getBoundingClientRect();
    return `${isPresenting()}|${Math.round(width)}|${Math.round(height)}`;
  }

  /** Presenter mode and a resized stage change the reading size: the drawing is fitted again. */
  watchScreen() {
    const check = () => {
      if (!this.layout || !this.zoom || document.body.dataset.view !== "ops") return;
      if (this.screenKeyNow() !== this.screenKey) this.fitToScreen();
    };
    new MutationObserver(check).observe(document.body, { attributes: true, attributeFilter: ["class"] });
    new ResizeObserver(check).observe(this.svg);
  }

  /** The zoom / pan / fold controls above the stage (created once, shown in the op view). */
  mountTools() {
    if (!this.zoom) {
      this.zoom = new Zoomable(this.svg, {
        enabled: () => document.body.dataset.view === "ops",
        onFold: (on) => { this.foldLeaves = on; this.build(this.trace); if (this.lastView) this.update(this.lastView); },
        onAllSteps: (on) => this.setExpanded(on),
      });
      this.tools = this.zoom.tools;
    }
    this.tools.hidden = false;
    this.tools.querySelector('[data-role="fold"]').hidden = this.rnn;
    this.tools.querySelector('[data-role="all-steps"]').hidden = !this.rnn || this.layout.steps <= 1;
    this.tools.querySelector('[data-testid="fold-leaves"]').checked = this.folded();
    this.tools.querySelector('[data-testid="rnn-all-steps"]').checked = this.expanded;
    this.svg.before(this.tools);
  }

  /** Leaves the op view: its controls go away with it. */
  detach() {
    if (this.tools) this.tools.hidden = true;
  }

  /** A click on a collapsed column (not the end of a drag) shows every step. */
  expand() {
    if (!this.zoom.dragged) this.setExpanded(true);
  }

  setExpanded(on) {
    this.expanded = on;
    this.tools.querySelector('[data-testid="rnn-all-steps"]').checked = on;
    // The columns left of the collapsed ones keep their place: the view need not move.
    this.place(this.computeLayout());
    this.zoom.resize(this.layout.width, this.layout.height);
    if (this.lastView) this.update(this.lastView);
  }

  drawBox(node) {
    const g = svgEl("g", { "data-testid": `node-${node.id}`, "data-node": node.id, class: `node op-node role-${node.role}` }, this.layers.hidden);
    const symbol = stageSymbol(node.id);
    const rect = svgEl("rect", {
      rx: 10, class: "unit", tabindex: 0, "data-testid": `unit-${node.id}-0`,
      role: "img", "aria-label": `${symbol} = ${node.op}`,
    }, g);
    const label = svgText(symbol, { class: "op-label" }, g);
    const sub = svgText(node.op, { class: "op-sub" }, g);
    const badge = svgEl("g", { class: "pending-badge", "aria-hidden": "true", visibility: "hidden" }, g);
    svgEl("circle", { r: 12 }, badge);
    svgText(PENDING, { y: 6, class: "pending-mark" }, badge);
    const target = { kind: "op", node: node.id, op: node.op, shape: node.shape };
    const show = (e) => this.onHover(target, e.currentTarget);
    rect.addEventListener("mouseenter", show);
    rect.addEventListener("focus", show);
    rect.addEventListener("mouseleave", () => this.onHover(null));
    rect.addEventListener("blur", () => this.onHover(null));
    this.groups.set(node.id, { g, rect, label, sub, badge, op: node.op });
  }

  /** Puts a box at {x, y} (its centre), of the layout's size if it gives one. */
  moveBox({ rect, label, sub, badge, op }, { x, y, width = BOX.width, height = BOX.height, sub: note }) {
    Object.entries({ x: x - width / 2, y: y - height / 2, width, height }).forEach(([k, v]) => rect.setAttribute(k, v));
    // A shorter box (the RNN's parameters) pulls its two lines together.
    const tighten = BOX.height - height;
    Object.entries({ x, y: y - 2 - tighten / 10 }).forEach(([k, v]) => label.setAttribute(k, v));
    Object.entries({ x, y: y + 19 - tighten * 0.3 }).forEach(([k, v]) => sub.setAttribute(k, v));
    sub.textContent = note ?? op;
    // On the top right corner, clear of the two centred lines.
    badge.setAttribute("transform", `translate(${x + width / 2 - 4} ${y - height / 2 + 4})`);
  }

  update(view) {
    this.lastView = view;
    if (this.rnn) this.refocus(view);
    const { trace, revealed, k, colourBy } = view;
    const source = colourBy === "grad" ? trace.grads : trace.values;
    const known = colourBy === "grad" ? revealed.grads : revealed.values;
    const means = new Map([...this.groups.keys()].filter((id) => known.has(id) && id in source)
      .map((id) => [id, meanOf(source[id], k)]));
    const scale = maxAbs([...means.entries()].filter(([id]) => id !== trace.graph.output).map(([, v]) => v));
    const pending = pendingNodes(view);
    for (const [id, { g, rect, label, sub, badge }] of this.groups) {
      const value = means.get(id);
      const fill = value === undefined ? COLOURS.unknown : id === trace.graph.output ? COLOURS.loss : divergingColour(value, scale);
      rect.style.fill = fill;
      for (const text of [label, sub]) text.style.fill = textOn(fill);
      badge.setAttribute("visibility", pending.has(id) ? "visible" : "hidden");
      if (pending.has(id)) g.dataset.pending = "true";
      else delete g.dataset.pending;
      rect.classList.toggle("unknown", value === undefined);
      g.classList.toggle("active", view.active.has(id));
      g.classList.toggle("source", view.sources.has(id));
    }
    this.markBlocks(view);
    // The edges into and out of the stepped node stay dark while the others fade.
    for (const { from, to, el } of this.edgeEls) el.classList.toggle("live", view.active.has(from) || view.active.has(to));
    this.svg.classList.toggle("stepping", view.active.size > 0);
    this.followActive(view.active);
    this.prevActive = [...view.active][0] ?? null;
  }

  /**
   * The stepped node's time step (and its neighbours it reads or feeds) get their own
   * columns; a parameter's step keeps the columns as they were. The view shifts with the
   * layout so the node stepped before stays where it was on screen.
   */
  refocus(view) {
    const timed = stepsOf(view.active);
    if (timed.length === 0) return;
    const show = [...new Set([...timed, ...stepsOf(view.sources)])].sort((a, b) => a - b);
    if (sameSteps(show, this.focus)) return;
    this.focus = show;
    const before = this.layout.boxes.get(this.prevActive);
    this.place(this.computeLayout());
    this.zoom.resize(this.layout.width, this.layout.height);
    const after = this.layout.boxes.get(this.prevActive);
    if (before && after) this.zoom.panBy(after.x - before.x, 0);
  }

  /** A collapsed column is marked when a node inside it is read or fed by the step. */
  markBlocks(view) {
    for (const { block, g } of this.blocks.values()) {
      const inside = (ids) => stepsOf(ids).some((t) => t >= block.from && t <= block.to);
      g.classList.toggle("source", inside(view.sources));
      g.classList.toggle("active", inside(view.active));
    }
  }

  /** Keeps the node being stepped in view; an RNN's view also shows the next column. */
  followActive(active) {
    const id = [...active].find((a) => this.layout.boxes.has(a));
    if (id === undefined) return;
    const { x, y, width = BOX.width, height = BOX.height } = this.layout.boxes.get(id);
    // The RNN's rows are all in view already: it moves along time only.
    const ahead = this.rnn ? Math.min(this.layout.pitch, this.zoom.view.w / 4) : 20;
    this.zoom.show({ x: x - width / 2, y: y - height / 2, width, height }, ahead, this.rnn ? 0 : 20);
    // Looking ahead stops at the drawing's ends: no blank strip past t = 0 or the loss.
    const view = this.zoom.view;
    if (this.rnn && view.w < this.layout.width) {
      const clamped = Math.max(0, Math.min(view.x, this.layout.width - view.w));
      if (clamped !== view.x) this.zoom.setView({ ...view, x: clamped });
    }
  }
}
