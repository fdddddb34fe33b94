/**
 * The op view's layered layout by dagre (left to right, as the data flows), with the
 * option to fold leaves (inputs, parameters) into the op that reads them: they are left
 * out of the layout and hidden, which halves a long unrolled graph.
 */

import dagre from "/vendor/@dagrejs/dagre/dist/dagre.esm.js";
import { BOX } from "./box.js";

export { BOX };

export const isLeaf = (node) => node.role === "input" || node.role === "param";

/** {width, height, boxes: Map id -> {x, y} (centres), edges: [{from, to, points}]}. */
export function stageLayout(nodes, { foldLeaves = false } = {}) {
  const shown = foldLeaves ? nodes.filter((n) => !isLeaf(n) || !nodes.some((m) => m.inputs.includes(n.id))) : nodes;
  const ids = new Set(shown.map((n) => n.id));
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 46, marginx: BOX.margin, marginy: BOX.margin });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of shown) g.setNode(n.id, { width: BOX.width, height: BOX.height });
  for (const n of shown) for (const input of n.inputs) if (ids.has(input)) g.setEdge(input, n.id);
  dagre.layout(g);
  const boxes = new Map(shown.map((n) => [n.id, { x: g.node(n.id).x, y: g.node(n.id).y }]));
  const edges = g.edges().map((e) => ({ from: e.v, to: e.w, points: g.edge(e).points }));
  const { width, height } = g.graph();
  return { width, height, boxes, edges };
}
