/**
 * The conv1d scene: the kernel w slid over x, one patch at a time. For patch j, every batch
 * row b shows its window x[b, j:j+k] lit, and the factors of its product
 * ∂f/∂out[b, j] · x[b, j:j+k]; then the patch's term (the sum over the batch), then the
 * running sum, which after the last patch is ∂f/∂w. The numbers are the stage's own trace
 * (its current iteration); they are revealed once the backward pass has reached out,
 * whose gradient every term multiplies.
 *
 * The scene is a view of the store: the patch shown is state.scene.patch (conv/settings.js).
 * Next patch and Auto-play only write it; the store's change redraws, so a link or a restored
 * snapshot reopens the same patch.
 */

import { bindScene } from "../store.js";
import { ensureStyle } from "./dag/sums.js";
import { patchTerms } from "./conv/patches.js";
import { openingScene } from "./conv/settings.js";
import { buildPanel, showPatch, strips } from "./conv/view.js";

const PLAY_MS = 900;

export function mount(root, ctx) {
  const { run, store } = ctx;
  ensureStyle(root.ownerDocument);
  const q = buildPanel(root);
  // The stage's current iteration: a link's step may stand past the first one.
  const trace = (run.timeline.iteration() ?? run.timeline.iterations[0]).trace;
  const c = { q, doc: root.ownerDocument, set: bindScene({}, store, ["patch"]), reached: false, timer: null };
  useTrace(c, trace);
  const { scene, notice } = openingScene(store.state.scene, c.patches.length, ctx.linkError);
  store.update({ scene });
  q("conv-notice").hidden = notice === null;
  q("conv-notice").textContent = notice ?? "";
  wireControls(c);
  const unsubscribe = store.subscribe((state, previous) => {
    // Null while the page swaps scenes (a restore clears it before this scene is destroyed).
    if (state.scene && state.scene.patch !== previous.scene?.patch) show(c);
  });
  show(c);
  return {
    update(view) { followStage(c, view); },
    destroy() { unsubscribe(); clearInterval(c.timer); root.replaceChildren(); },
  };
}

/** The patches of `trace`, and its input strips drawn. */
function useTrace(c, trace) {
  Object.assign(c, { trace, ...patchTerms(trace) });
  c.q("conv-x").replaceChildren(...strips(c.doc, trace.values[c.conv.x]));
  clearInterval(c.timer);
}

const patchOf = (c) => c.set.patch ?? -1;
const show = (c) => showPatch(c.q, c, patchOf(c));

/** The stage moved: a new iteration's numbers start again at no patch; reaching out reveals. */
function followStage(c, view) {
  const changed = view.trace !== c.trace;
  if (changed) {
    useTrace(c, view.trace);
    if (c.set.patch !== null) c.set.patch = null;
  }
  const reached = view.step.phase !== "forward" && (view.step.phase === "update" || view.revealed.grads.has(c.conv.out));
  if (changed || reached !== c.reached) {
    c.reached = reached;
    show(c);
  }
}

/** The next patch, written to the store (which redraws); the auto-play stops at the last. */
function next(c) {
  const j = patchOf(c);
  if (c.reached && j < c.patches.length - 1) c.set.patch = j + 1;
  if (patchOf(c) === c.patches.length - 1) clearInterval(c.timer);
}

function wireControls(c) {
  c.q("conv-next").addEventListener("click", () => next(c));
  c.q("conv-play").addEventListener("click", () => {
    clearInterval(c.timer);
    if (c.reached) c.timer = setInterval(() => next(c), PLAY_MS);
  });
}
