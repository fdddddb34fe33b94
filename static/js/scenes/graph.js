/**
 * The graph scene (presets skip-connection, two-branches, tied-weights): the network's JSON
 * in an editor ("Run" re-asks POST /backprop, a 422 names the field/node next to the
 * editor), and one panel per node whose gradient is a sum over paths, with the numbers.
 */

import { drawGraph } from "./dag/draw.js";
import { describeError, ensureStyle, pathSums } from "./dag/sums.js";
import { array, dfd, math, mo, mrow, msub, mtext, sym } from "../mathml.js";
import { Zoomable } from "../stage/zoomable.js";

// Editor boxes are drawn at this many screen pixels per unit at most; a bigger graph opens
// at that size from its left end, to be zoomed, panned or fitted.
const EDITOR_PX_PER_UNIT = 0.9;

const fmt = (v) => (Array.isArray(v) ? `[${v.map(fmt).join(", ")}]` : Number(v).toPrecision(4));

/** One node (or one input) per line: readable and short enough to edit on a projector. */
function compactJson({ network, inputs }) {
  const nodes = network.nodes.map((n) => `    ${JSON.stringify(n)}`).join(",\n");
  const ins = Object.entries(inputs ?? {}).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n");
  const { nodes: _, ...rest } = network;
  const head = JSON.stringify(rest).slice(1, -1);
  return `{\n  "network": {${head},\n   "nodes": [\n${nodes}\n  ]},\n  "inputs": {\n${ins}\n  }\n}`;
}

/**
 * ∂f/∂u = ∂f/∂u|via a + ∂f/∂u|via b (= the lecture's sum over the ops reading u), then
 * the same with the numbers, in MathML; the plain text stays as the title for screen readers.
 */
function sumPanel(doc, { node, parts, total }) {
  const box = doc.createElement("div");
  box.className = "path-sum";
  box.setAttribute("data-testid", `sum-${node}`);
  const whole = dfd(sym(node));
  const via = (p) => msub(mrow(mo("("), dfd(sym(node)), mo(")")), mtext(`via ${p.via}`));
  const plus = (items) => items.flatMap((x, i) => (i ? [mo("+"), x] : [x]));
  box.innerHTML = math(mrow(whole, mo("="), ...plus(parts.map(via))))
    + math(mrow(mo("="), ...plus(parts.map((p) => array(p.grad))), mo("="), array(total)));
  box.title = `∂f/∂${node} = ${parts.map((p) => `∂f/∂${node}|via ${p.via} = ${fmt(p.grad)}`).join("  +  ")}  =  ${fmt(total)}`;
  box.dataset.node = node;
  box.dataset.parts = JSON.stringify(parts.map((p) => p.grad));
  box.dataset.total = JSON.stringify(total);
  return box;
}

/** What stands in for a sum not reached yet: its left side, and when it will be filled in. */
function pendingNote(doc, node) {
  const note = doc.createElement("p");
  note.className = "path-sum-pending";
  note.setAttribute("data-testid", `sum-pending-${node}`);
  note.innerHTML = math(mrow(dfd(sym(node)), mo("="), mtext(`Σ over the ops that read ${node}: shown when the backward pass reaches ${node}`)));
  return note;
}

export function mount(root, { api, preset }) {
  const doc = root.ownerDocument;
  ensureStyle(doc);
  root.innerHTML = `<h2>Graph editor</h2>
    <textarea data-testid="graph-editor" rows="12" cols="70" spellcheck="false" aria-label="The network as JSON (edit, then Run)"></textarea>
    <div><button type="button" data-testid="graph-run">Run</button>
    <span class="graph-error" role="alert" data-testid="graph-error"></span></div>
    <svg class="editor-graph" data-testid="editor-graph" role="img" aria-label="The network last run"></svg>
    <div class="path-sums" data-testid="path-sums"></div>`;
  const editor = root.querySelector("textarea");
  const error = root.querySelector(".graph-error");
  const sums = root.querySelector(".path-sums");
  editor.value = compactJson({ network: preset.network, inputs: preset.inputs });
  const drawing = root.querySelector("svg");
  const zoom = new Zoomable(drawing);
  drawing.before(zoom.tools);
  async function run() {
    error.textContent = "";
    let body;
    try { body = JSON.parse(editor.value); } catch (e) { error.textContent = `JSON: ${e.message}`; return; }
    try {
      const trace = await api.backprop(body);
      const found = pathSums(trace);
      const lit = new Set(found.flatMap(({ node, parts }) => parts.map((p) => `${node}->${p.via}`)));
      const { width, height } = drawGraph(drawing, trace.graph.nodes, lit);
      drawing.style.height = `${Math.min(352, Math.max(160, height * EDITOR_PX_PER_UNIT))}px`;
      zoom.setDrawing(width, height, EDITOR_PX_PER_UNIT);
      sums.replaceChildren(...found.flatMap((s) => [sumPanel(doc, s), pendingNote(doc, s.node)]));
    } catch (e) {
      error.textContent = describeError(e.detail ?? e.message);
    }
  }
  // A sum is revealed when the stage's backward pass reaches its node, never before; once
  // the network was edited and run, the stage no longer steps it, and every sum is shown.
  let edited = false;
  let revealed = new Set();
  const reveal = () => {
    for (const panel of sums.querySelectorAll(".path-sum")) {
      const shown = edited || revealed.has(panel.dataset.node);
      panel.hidden = !shown;
      sums.querySelector(`[data-testid="sum-pending-${panel.dataset.node}"]`).hidden = shown;
    }
  };
  root.querySelector("button").addEventListener("click", () => { edited = true; run().then(reveal); });
  const first = run().then(reveal);
  return {
    ready: first,
    update(view) { revealed = view.revealed.grads; reveal(); },
    destroy() { root.replaceChildren(); },
  };
}
