/**
 * The graph scene (presets skip-connection, two-branches, tied-weights): the network's JSON
 * in an editor ("Run" re-asks POST /backprop, a 422 names the field/node next to the
 * editor), and one panel per node whose gradient is a sum over paths, with the numbers.
 *
 * The scene is a view of the store: the editor's text and the text last run (dag/settings.js)
 * are state.scene once the user types or runs; before that the preset's own network is shown,
 * rebuilt from the preset. Typing and Run only write the store; the store's change fills the
 * editor and runs the network, so a link or a restored snapshot reopens both.
 */

import { bindScene } from "../store.js";
import { latestOnly } from "./rnn/latest.js";
import { drawGraph } from "./dag/draw.js";
import { pendingNote, sumPanel } from "./dag/panels.js";
import { compactJson, openingScene } from "./dag/settings.js";
import { describeError, ensureStyle, pathSums } from "./dag/sums.js";
import { Zoomable } from "../stage/zoomable.js";

// Editor boxes are drawn at this many screen pixels per unit at most; a bigger graph opens
// at that size from its left end, to be zoomed, panned or fitted.
const EDITOR_PX_PER_UNIT = 0.9;

function buildPanel(root) {
  // The sums over paths are the lesson: they come first, the editor after them.
  root.innerHTML = `<div class="path-sums" data-testid="path-sums"></div>
    <p data-testid="graph-status" role="status" hidden></p>
    <div class="graph-editor-box"><h2>Graph editor</h2>
    <textarea data-testid="graph-editor" rows="12" cols="70" spellcheck="false" aria-label="The network as JSON (edit, then Run)"></textarea>
    <div><button type="button" data-testid="graph-run">Run</button>
    <span class="graph-error" role="alert" data-testid="graph-error"></span></div>
    <svg class="editor-graph" data-testid="editor-graph" role="img" aria-label="The network last run"></svg></div>`;
  return (id) => root.querySelector(`[data-testid="${id}"]`);
}

export function mount(root, ctx) {
  const { api, preset, store } = ctx;
  const doc = root.ownerDocument;
  ensureStyle(doc);
  const { scene, notice } = openingScene(store.state.scene, ctx.linkError);
  store.update({ scene });
  const q = buildPanel(root);
  const g = { q, doc, store, set: bindScene({}, store, ["text", "run"]), own: compactJson(preset), revealed: new Set(),
    zoom: new Zoomable(q("editor-graph")), destroyed: false };
  q("editor-graph").before(g.zoom.tools);
  g.runs = latestOnly((body) => api.backprop(body), (trace) => !g.destroyed && showTrace(g, trace),
    (err) => { if (!g.destroyed) q("graph-error").textContent = describeError(err.detail ?? err.message); });
  showNotice(g, notice);
  q("graph-editor").value = g.set.text ?? g.own;
  wireControls(g);
  const unsubscribe = store.subscribe((state, previous) => followStore(g, state.scene, previous.scene));
  const first = runText(g, g.set.run ?? g.own);
  return {
    ready: first,
    update(view) { g.revealed = view.revealed.grads; reveal(g); },
    destroy() { unsubscribe(); g.destroyed = true; root.replaceChildren(); },
  };
}

function showNotice({ q }, notice) {
  q("graph-status").hidden = notice === null;
  q("graph-status").textContent = notice ?? "";
}

/** Typing and Run write the store, nothing else: followStore() runs the text. */
function wireControls(g) {
  const editor = g.q("graph-editor");
  editor.addEventListener("input", () => { showNotice(g, null); g.set.text = editor.value; });
  g.q("graph-run").addEventListener("click", () => {
    showNotice(g, null);
    g.store.setScene({ text: editor.value, run: editor.value });
  });
}

/** A change of the store's settings, from the editor or from outside. */
function followStore(g, scene, before) {
  // Null while the page swaps scenes (a restore clears it before this scene is destroyed).
  if (!scene || scene === before || g.destroyed) return;
  const editor = g.q("graph-editor");
  const text = scene.text ?? g.own;
  if (editor.value !== text) editor.value = text;
  if (scene.run !== before?.run) runText(g, scene.run ?? g.own);
}

/** Asks /backprop for the network `text` (the newest text only, if runs overlap). */
function runText(g, text) {
  g.q("graph-error").textContent = "";
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    g.q("graph-error").textContent = `JSON: ${e.message}`;
    return Promise.resolve();
  }
  return g.runs.request(null, body);
}

/** A trace drawn: the network with its summed edges lit, and one panel per path sum. */
function showTrace(g, trace) {
  const drawing = g.q("editor-graph");
  const found = pathSums(trace);
  const lit = new Set(found.flatMap(({ node, parts }) => parts.map((p) => `${node}->${p.via}`)));
  const { width, height } = drawGraph(drawing, trace.graph.nodes, lit);
  drawing.style.height = `${Math.min(352, Math.max(160, height * EDITOR_PX_PER_UNIT))}px`;
  g.zoom.setDrawing(width, height, EDITOR_PX_PER_UNIT);
  g.q("path-sums").replaceChildren(...found.flatMap((s) => [sumPanel(g.doc, s), pendingNote(g.doc, s.node)]));
  reveal(g);
}

/**
 * A sum is revealed when the stage's backward pass reaches its node, never before; once a
 * network was run from the editor, the stage no longer steps it, and every sum is shown.
 */
function reveal(g) {
  const sums = g.q("path-sums");
  const edited = g.set.run !== undefined;
  for (const panel of sums.querySelectorAll(".path-sum")) {
    const shown = edited || g.revealed.has(panel.dataset.node);
    panel.hidden = !shown;
    sums.querySelector(`[data-testid="sum-pending-${panel.dataset.node}"]`).hidden = shown;
  }
}
