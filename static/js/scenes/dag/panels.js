/**
 * The graph scene's path-sum panels: for a node whose gradient is a sum over the ops that
 * read it, ∂f/∂u = ∂f/∂u|via a + ∂f/∂u|via b with the numbers, in MathML (the plain text
 * stays as the title for screen readers), and the note that stands in for it until reached.
 */

import { array, dfd, math, mo, mrow, msub, mtext, sym } from "../../mathml.js";

const fmt = (v) => (Array.isArray(v) ? `[${v.map(fmt).join(", ")}]` : Number(v).toPrecision(4));

export function sumPanel(doc, { node, parts, total }) {
  const box = doc.createElement("div");
  box.className = "path-sum";
  box.setAttribute("data-testid", `sum-${node}`);
  const whole = dfd(sym(node));
  const via = (p) => msub(mrow(mo("("), dfd(sym(node)), mo(")")), mtext(`via ${p.via}`));
  const plus = (items) => items.flatMap((x, i) => (i ? [mo("+"), x] : [x]));
  // Each term's numbers and the sum are pieces that share a line where it is wide enough
  // and wrap where it is not (a slide's column, a phone): no number is cut.
  box.innerHTML = math(mrow(whole, mo("="), ...plus(parts.map(via))))
    + parts.map((p, i) => math(mrow(mo(i ? "+" : "="), array(p.grad)), "sum-part")).join("")
    + math(mrow(mo("="), array(total)), "sum-part");
  box.title = `∂f/∂${node} = ${parts.map((p) => `∂f/∂${node}|via ${p.via} = ${fmt(p.grad)}`).join("  +  ")}  =  ${fmt(total)}`;
  box.dataset.node = node;
  box.dataset.parts = JSON.stringify(parts.map((p) => p.grad));
  box.dataset.total = JSON.stringify(total);
  return box;
}

/** What stands in for a sum not reached yet: its left side, and when it will be filled in. */
export function pendingNote(doc, node) {
  const note = doc.createElement("p");
  note.className = "path-sum-pending";
  note.setAttribute("data-testid", `sum-pending-${node}`);
  note.innerHTML = math(mrow(dfd(sym(node)), mo("="), mtext(`Σ over the ops that read ${node}: shown when the backward pass reaches ${node}`)));
  return note;
}
