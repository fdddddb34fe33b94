/**
 * The editor's own drawing of the network it last ran: one box per node (id, op, shape),
 * laid out by dagre left to right, edges as the data flows. Its ids are prefixed
 * "editor-node-" so they never clash with the main stage's node-<id>.
 */

import dagre from "/vendor/@dagrejs/dagre/dist/dagre.esm.js";
import { svgEl, svgText } from "../../views/svg.js";

const W = 110, H = 48;

/**
 * `lit` holds "from->to" pairs: the edges whose gradients are summed in a path-sum panel.
 * Returns the drawing's {width, height} (the caller fits, zooms and pans it).
 */
export function drawGraph(svg, nodes, lit = new Set()) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 16, ranksep: 40, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: W, height: H });
  for (const n of nodes) for (const i of n.inputs ?? []) g.setEdge(i, n.id);
  dagre.layout(g);
  svg.replaceChildren();
  const { width, height } = g.graph();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  for (const e of g.edges()) {
    const pts = g.edge(e).points.map((p) => `${p.x},${p.y}`).join(" ");
    const key = `${e.v}->${e.w}`;
    svgEl("polyline", { points: pts, class: lit.has(key) ? "editor-edge lit" : "editor-edge", "data-edge": key }, svg);
  }
  for (const n of nodes) {
    const { x, y } = g.node(n.id);
    const box = svgEl("g", { "data-testid": `editor-node-${n.id}`, class: "editor-node" }, svg);
    svgEl("rect", { x: x - W / 2, y: y - H / 2, width: W, height: H, rx: 8 }, box);
    svgText(n.id, { x, y: y - 4 }, box);
    svgText(`${n.op} ${JSON.stringify(n.shape ?? "")}`, { x, y: y + 16, class: "editor-sub" }, box);
  }
  return { width, height };
}
