/**
 * The op view, for networks that are not plain MLPs (kind "graph", "rnn"): one box per
 * graph node (its symbol and op), arrows from inputs to the op that reads them. A box is
 * coloured by the mean of its value (forward, update) or of its gradient (backward) for
 * example k. Same interface as GraphView: build(trace), update(view). Laid out by dagre
 * (stage/layout.js); zoom, pan, fit and folding the leaves keep ~200 nodes readable, and
 * the node being stepped is kept in view.
 */

import { COLOURS } from "../config.js";
import { divergingColour, maxAbs, textOn } from "../colour.js";
import { BOX, stageLayout } from "../stage/layout.js";
import { Zoomable } from "../stage/zoomable.js";
import { symbolOf } from "../format.js";
import { svgEl, svgText } from "./svg.js";

function meanOf(v, k) {
  if (!Array.isArray(v)) return v;
  const slice = Array.isArray(v[0]) ? v[Math.min(k, v.length - 1)] : v;
  const flat = [slice].flat(Infinity);
  return flat.reduce((s, x) => s + x, 0) / flat.length;
}

// Graphs with more nodes than this start with their inputs and parameters folded away.
const FOLD_ABOVE = 60;
// Drawing units per screen pixel at which a box's labels read comfortably (≥ 16 px text).
const NATURAL_PX_PER_UNIT = 0.8;

export class OpGraphView {
  constructor(svg, { onHover }) {
    this.svg = svg;
    this.onHover = onHover;
    this.groups = new Map();
    this.foldLeaves = null; // null: folded for big graphs until the user chooses
    this.tools = null;
  }

  build(trace) {
    this.trace = trace;
    this.svg.replaceChildren();
    this.groups = new Map();
    const { nodes } = trace.graph;
    const t0 = performance.now();
    const fold = this.foldLeaves ?? nodes.length > FOLD_ABOVE;
    const layout = stageLayout(nodes, { foldLeaves: fold });
    this.svg.dataset.layoutMs = (performance.now() - t0).toFixed(1);
    this.layout = layout;
    this.svg.setAttribute("aria-label", `Computation graph with ${nodes.length} nodes`);
    // A fixed-height stage; zoom and pan move the viewBox, so labels keep their size.
    Object.assign(this.svg.style, { width: "100%", height: `${Math.min(460, Math.max(240, layout.height * 0.8))}px`, maxHeight: "none" });
    document.body.dataset.view = "ops";
    const edgeLayer = svgEl("g", { class: "edges" }, this.svg);
    const boxLayer = svgEl("g", { class: "units" }, this.svg);
    for (const { points } of layout.edges) {
      svgEl("polyline", { points: points.map((q) => `${q.x},${q.y}`).join(" "), class: "edge op-edge" }, edgeLayer);
    }
    const hidden = svgEl("g", { class: "folded", "aria-hidden": "true" }, this.svg);
    hidden.style.display = "none";
    for (const node of nodes) {
      const at = layout.boxes.get(node.id);
      this.drawBox(at ? boxLayer : hidden, node, at ?? { x: 0, y: 0 });
    }
    this.mountTools();
    this.tools.querySelector('[data-testid="fold-leaves"]').checked = fold;
    // A big graph fitted whole has unreadable boxes: it opens at reading size, at its left end.
    this.zoom.setDrawing(layout.width, layout.height, NATURAL_PX_PER_UNIT);
  }

  /** The zoom / pan / fold controls above the stage (created once, shown in the op view). */
  mountTools() {
    if (!this.zoom) {
      this.zoom = new Zoomable(this.svg, {
        enabled: () => document.body.dataset.view === "ops",
        onFold: (on) => { this.foldLeaves = on; this.build(this.trace); if (this.lastView) this.update(this.lastView); },
      });
      this.tools = this.zoom.tools;
    }
    this.tools.hidden = false;
    this.svg.before(this.tools);
  }

  /** Leaves the op view: its controls go away with it. */
  detach() {
    if (this.tools) this.tools.hidden = true;
  }

  drawBox(parent, node, { x, y }) {
    const g = svgEl("g", { "data-testid": `node-${node.id}`, "data-node": node.id, class: `node op-node role-${node.role}` }, parent);
    const rect = svgEl("rect", {
      x: x - BOX.width / 2, y: y - BOX.height / 2, width: BOX.width, height: BOX.height, rx: 10,
      class: "unit", tabindex: 0, "data-testid": `unit-${node.id}-0`,
      role: "img", "aria-label": `${symbolOf(node.id)} = ${node.op}`,
    }, g);
    svgText(symbolOf(node.id), { x, y: y - 2, class: "op-label" }, g);
    svgText(node.op, { x, y: y + 19, class: "op-sub" }, g);
    const target = { kind: "op", node: node.id, op: node.op, shape: node.shape };
    const show = (e) => this.onHover(target, e.currentTarget);
    rect.addEventListener("mouseenter", show);
    rect.addEventListener("focus", show);
    rect.addEventListener("mouseleave", () => this.onHover(null));
    rect.addEventListener("blur", () => this.onHover(null));
    this.groups.set(node.id, { g, rect });
  }

  update(view) {
    this.lastView = view;
    const { trace, revealed, k, colourBy } = view;
    const source = colourBy === "grad" ? trace.grads : trace.values;
    const known = colourBy === "grad" ? revealed.grads : revealed.values;
    const means = new Map([...this.groups.keys()].filter((id) => known.has(id) && id in source)
      .map((id) => [id, meanOf(source[id], k)]));
    const scale = maxAbs([...means.entries()].filter(([id]) => id !== trace.graph.output).map(([, v]) => v));
    for (const [id, { g, rect }] of this.groups) {
      const value = means.get(id);
      const fill = value === undefined ? COLOURS.unknown : id === trace.graph.output ? COLOURS.loss : divergingColour(value, scale);
      rect.style.fill = fill;
      for (const text of g.querySelectorAll("text")) text.style.fill = textOn(fill);
      rect.classList.toggle("unknown", value === undefined);
      g.classList.toggle("active", view.active.has(id));
      g.classList.toggle("source", view.sources.has(id));
    }
    this.svg.classList.toggle("stepping", view.active.size > 0);
    this.followActive(view.active);
  }

  /** Keeps the node being stepped in view: the stage moves the least needed to show it. */
  followActive(active) {
    const id = [...active].find((a) => this.layout.boxes.has(a));
    if (id === undefined) return;
    const { x, y } = this.layout.boxes.get(id);
    this.zoom.show({ x: x - BOX.width / 2, y: y - BOX.height / 2, width: BOX.width, height: BOX.height });
  }
}
