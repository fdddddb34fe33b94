/**
 * The conv1d scene: the kernel w slid over x, one patch at a time. For patch j, every batch
 * row b shows its window x[b, j:j+k] lit, and the factors of its product
 * ∂f/∂out[b, j] · x[b, j:j+k]; then the patch's term (the sum over the batch), then the
 * running sum, which after the last patch is ∂f/∂w. The numbers are the stage's own trace
 * (the run's first iteration); they are revealed once the backward pass has reached out,
 * whose gradient every term multiplies.
 */

import { ensureStyle } from "./dag/sums.js";
import { patchTerms } from "./conv/patches.js";
import { array, dfd, math, mn, mo, mrow, msub, mtext, rowVector, sym } from "../mathml.js";

const PLAY_MS = 900;

function strips(doc, x) {
  return x.map((row, b) => {
    const strip = doc.createElement("div");
    strip.className = "conv-row";
    strip.setAttribute("data-testid", `conv-x-${b}`);
    strip.append(...row.map((v, i) => Object.assign(doc.createElement("span"),
      { textContent: Number(v).toPrecision(3), className: "conv-cell", title: `x[${b + 1}, ${i + 1}]` })));
    return strip;
  });
}

/** Patch j's lines: one product per example, the term, the running sum. */
function patchMarkup(conv, patch, last) {
  const out = sym(conv.out);
  const lines = patch.examples.map((e) => math(mrow(
    msub(dfd(out), mtext(`[${e.b + 1}, ${patch.j + 1}]`)), mo("·"), mi_x(conv, e, patch),
    mo("="), mn(e.g), mo("·"), rowVector(e.window), mo("="), rowVector(e.product))));
  lines.push(math(mrow(mtext(`term of patch ${patch.j + 1} (sum over the ${patch.examples.length} examples) = `),
    rowVector(patch.term))));
  return lines.join("");
}

function runningMarkup(conv, patch, last) {
  return math(mrow(mtext(`running sum after ${patch.j + 1} patches = `), rowVector(patch.running),
    ...(last ? [mo("="), dfd(sym(conv.w))] : [])));
}

const mi_x = (conv, e, patch) => msub(sym(conv.x), mtext(`[${e.b + 1}, ${patch.j + 1}:${patch.j + patch.examples[0].window.length}]`));

export function mount(root, { run }) {
  const doc = root.ownerDocument;
  ensureStyle(doc);
  root.innerHTML = `<h2>One kernel, every patch</h2>
    <div><button type="button" data-testid="conv-next">Next patch</button>
    <button type="button" data-testid="conv-play">Auto-play</button>
    <span data-testid="conv-status" class="conv-status" role="status"></span></div>
    <div data-testid="conv-x"></div><div data-testid="conv-term" class="conv-term"></div>
    <p data-testid="conv-sum" class="conv-term"></p><p data-testid="conv-grad"></p>`;
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  // The trace shown: the stage's current iteration (its numbers change with each update).
  let trace, conv, k, patches;
  let j = -1, timer = null, reached = false;
  function useTrace(next) {
    trace = next;
    ({ conv, k, patches } = patchTerms(trace));
    q("conv-x").replaceChildren(...strips(doc, trace.values[conv.x]));
    j = -1;
    clearInterval(timer);
  }
  useTrace(run.timeline.iterations[0].trace);

  function show() {
    for (const strip of q("conv-x").children) {
      [...strip.children].forEach((cell, i) => cell.classList.toggle("lit", j >= 0 && i >= j && i < j + k));
    }
    const done = j === patches.length - 1;
    // aria-disabled, not disabled: the buttons stay in the Tab order, and say why they wait.
    q("conv-next").setAttribute("aria-disabled", String(!reached || done));
    q("conv-play").setAttribute("aria-disabled", String(!reached || done));
    if (!reached) {
      q("conv-status").textContent = `Step the backward pass to ${conv.out}: every term needs ∂f/∂${conv.out}.`;
      return;
    }
    q("conv-status").textContent = done ? `All ${patches.length} patches summed: the running sum is ∂f/∂${conv.w}.`
      : j < 0 ? `${patches.length} patches of ${k} entries; press Next patch.` : `patch ${j + 1} of ${patches.length}`;
    if (j < 0) return;
    const patch = patches[j];
    q("conv-term").innerHTML = patchMarkup(conv, patch, done);
    q("conv-term").dataset.term = JSON.stringify(patch.term);
    const sum = q("conv-sum");
    sum.innerHTML = runningMarkup(conv, patch, done);
    sum.dataset.value = JSON.stringify(patch.running);
    sum.dataset.patch = String(j);
    if (done) q("conv-grad").innerHTML = math(mrow(dfd(sym(conv.w)), mo("="), array(trace.param_grads[conv.w])));
  }
  const step = () => {
    if (reached && j < patches.length - 1) { j += 1; show(); }
    if (j === patches.length - 1) clearInterval(timer);
  };
  q("conv-next").addEventListener("click", step);
  q("conv-play").addEventListener("click", () => {
    clearInterval(timer);
    if (reached) timer = setInterval(step, PLAY_MS);
  });
  show();
  return {
    update(view) {
      const changed = view.trace !== trace;
      if (changed) useTrace(view.trace);
      const now = view.step.phase !== "forward" && (view.step.phase === "update" || view.revealed.grads.has(conv.out));
      if (changed || now !== reached) { reached = now; show(); }
    },
    destroy() { clearInterval(timer); root.replaceChildren(); },
  };
}
