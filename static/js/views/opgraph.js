/**
 * The op view, for networks that are not plain MLPs (kind "graph", "rnn"): one box per
 * graph node (its symbol and op), arrows from inputs to the op that reads them. A box is
 * coloured by the mean of its value (forward, update) or of its gradient (backward) for
 * example k. Same interface as GraphView: build(trace), update(view).
 */

import { COLOURS } from "../config.js";
import { divergingColour, maxAbs, textOn } from "../colour.js";
import { BOX, dagLayout } from "../dag.js";
import { symbolOf } from "../format.js";
import { svgEl, svgText } from "./svg.js";

function meanOf(v, k) {
  if (!Array.isArray(v)) return v;
  const slice = Array.isArray(v[0]) ? v[Math.min(k, v.length - 1)] : v;
  const flat = [slice].flat(Infinity);
  return flat.reduce((s, x) => s + x, 0) / flat.length;
}

export class OpGraphView {
  constructor(svg, { onHover }) {
    this.svg = svg;
    this.onHover = onHover;
    this.groups = new Map();
  }

  build(trace) {
    this.svg.replaceChildren();
    this.groups = new Map();
    const { nodes } = trace.graph;
    const layout = dagLayout(nodes);
    this.svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    this.svg.setAttribute("aria-label", `Computation graph with ${nodes.length} nodes`);
    // Drawn at a fixed scale: long unrolled graphs scroll sideways instead of shrinking
    // their labels away.
    Object.assign(this.svg.style, { width: `${layout.width * 0.8}px`, height: `${layout.height * 0.8}px`, maxHeight: "none" });
    document.body.dataset.view = "ops";
    const edgeLayer = svgEl("g", { class: "edges" }, this.svg);
    const boxLayer = svgEl("g", { class: "units" }, this.svg);
    for (const node of nodes) {
      const to = layout.boxes.get(node.id);
      for (const input of node.inputs) {
        const from = layout.boxes.get(input);
        svgEl("line", { x1: from.x + BOX.width / 2, y1: from.y, x2: to.x - BOX.width / 2, y2: to.y, class: "edge op-edge" }, edgeLayer);
      }
      this.drawBox(boxLayer, node, to);
    }
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
  }
}
