/**
 * What the unrolled RNN's stage draws besides the op boxes (rnn_layout.js places it all):
 * the column labels "t = 7", the collapsed columns "t = 6 … 25" (a click or Enter shows
 * every step), and the arrowhead marking which way each edge runs.
 */

import { svgEl, svgText } from "../views/svg.js";

export const ARROW_ID = "op-arrow";

/** The arrowhead marker, once per svg. */
export function ensureArrow(svg) {
  if (svg.querySelector(`#${ARROW_ID}`)) return;
  const defs = svgEl("defs", {}, svg);
  const marker = svgEl("marker", {
    id: ARROW_ID, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 14, markerHeight: 14,
    markerUnits: "userSpaceOnUse", orient: "auto-start-reverse",
  }, defs);
  svgEl("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "op-arrowhead" }, marker);
}

function drawCollapsed(layer, block, onExpand) {
  const count = block.to - block.from + 1;
  const g = svgEl("g", {
    class: "rnn-collapsed", "data-testid": "rnn-collapsed", "data-from": block.from, "data-to": block.to,
    tabindex: 0, role: "button", "aria-label": `Steps t = ${block.from} to ${block.to}, collapsed: show every step`,
  }, layer);
  svgEl("rect", { x: block.x - block.width / 2, y: block.y - block.height / 2, width: block.width, height: block.height, rx: 12 }, g);
  svgText("…", { x: block.x, y: block.y - 22, class: "rnn-collapsed-dots" }, g);
  svgText(`${count} steps`, { x: block.x, y: block.y + 14, class: "rnn-collapsed-count" }, g);
  svgText("click to show", { x: block.x, y: block.y + 38, class: "rnn-collapsed-hint" }, g);
  g.addEventListener("click", () => onExpand(block));
  g.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    e.stopPropagation(); // space would otherwise start the player
    onExpand(block);
  });
  return g;
}

/** Draws the labels and collapsed columns of `layout` into `layer`; returns the blocks' groups. */
export function drawDecor(layer, layout, onExpand) {
  layer.replaceChildren();
  for (const label of layout.labels) {
    svgText(label.text, { x: label.x, y: label.y, class: `rnn-col-label rnn-col-${label.kind}` }, layer);
  }
  return new Map(layout.collapsed.map((block) => [block.key, { block, g: drawCollapsed(layer, block, onExpand) }]));
}
