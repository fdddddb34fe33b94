/**
 * The conv scene's DOM: the input strips with patch j's windows lit, patch j's products,
 * its term and the running sum, and the status line, all drawn from `c` (conv.js) and the
 * store's patch. Reads the setting, never keeps it.
 */

import { array, dfd, math, mn, mo, mrow, msub, mtext, rowVector, sym } from "../../mathml.js";

export function buildPanel(root) {
  root.innerHTML = `<h2>One kernel, every patch</h2>
    <p data-testid="conv-notice" role="status" hidden></p>
    <div><button type="button" data-testid="conv-next">Next patch</button>
    <button type="button" data-testid="conv-play">Auto-play</button>
    <span data-testid="conv-status" class="conv-status" role="status"></span></div>
    <div data-testid="conv-x"></div><div data-testid="conv-term" class="conv-term"></div>
    <p data-testid="conv-sum" class="conv-term"></p><p data-testid="conv-grad"></p>`;
  return (id) => root.querySelector(`[data-testid="${id}"]`);
}

export function strips(doc, x) {
  return x.map((row, b) => {
    const strip = doc.createElement("div");
    strip.className = "conv-row";
    strip.setAttribute("data-testid", `conv-x-${b}`);
    strip.append(...row.map((v, i) => Object.assign(doc.createElement("span"),
      { textContent: Number(v).toPrecision(3), className: "conv-cell", title: `x[${b + 1}, ${i + 1}]` })));
    return strip;
  });
}

const xWindow = (conv, e, patch) => msub(sym(conv.x), mtext(`[${e.b + 1}, ${patch.j + 1}:${patch.j + patch.examples[0].window.length}]`));

/** Patch j's lines: one product per example, then the term. */
function patchMarkup(conv, patch) {
  const out = sym(conv.out);
  const lines = patch.examples.map((e) => math(mrow(
    msub(dfd(out), mtext(`[${e.b + 1}, ${patch.j + 1}]`)), mo("·"), xWindow(conv, e, patch),
    mo("="), mn(e.g), mo("·"), rowVector(e.window), mo("="), rowVector(e.product))));
  lines.push(math(mrow(mtext(`term of patch ${patch.j + 1} (sum over the ${patch.examples.length} examples) = `),
    rowVector(patch.term))));
  return lines.join("");
}

function runningMarkup(conv, patch, last) {
  return math(mrow(mtext(`running sum after ${patch.j + 1} patches = `), rowVector(patch.running),
    ...(last ? [mo("="), dfd(sym(conv.w))] : [])));
}

function showStatus(q, { conv, k, patches, reached }, j) {
  const done = j === patches.length - 1;
  // aria-disabled, not disabled: the buttons stay in the Tab order, and say why they wait.
  q("conv-next").setAttribute("aria-disabled", String(!reached || done));
  q("conv-play").setAttribute("aria-disabled", String(!reached || done));
  q("conv-status").textContent = !reached ? `Step the backward pass to ${conv.out}: every term needs ∂f/∂${conv.out}.`
    : done ? `All ${patches.length} patches summed: the running sum is ∂f/∂${conv.w}.`
      : j < 0 ? `${patches.length} patches of ${k} entries; press Next patch.` : `patch ${j + 1} of ${patches.length}`;
}

/** Everything for patch `j` (−1: none), once the backward pass has reached out. */
export function showPatch(q, c, j) {
  for (const strip of q("conv-x").children) {
    [...strip.children].forEach((cell, i) => cell.classList.toggle("lit", c.reached && j >= 0 && i >= j && i < j + c.k));
  }
  showStatus(q, c, j);
  const shown = c.reached && j >= 0;
  for (const id of ["conv-term", "conv-sum", "conv-grad"]) q(id).hidden = !shown;
  if (!shown) return;
  const { conv, patches, trace } = c;
  const patch = patches[j];
  const done = j === patches.length - 1;
  q("conv-term").innerHTML = patchMarkup(conv, patch);
  q("conv-term").dataset.term = JSON.stringify(patch.term);
  const sum = q("conv-sum");
  sum.innerHTML = runningMarkup(conv, patch, done);
  sum.dataset.value = JSON.stringify(patch.running);
  sum.dataset.patch = String(j);
  q("conv-grad").innerHTML = done ? math(mrow(dfd(sym(conv.w)), mo("="), array(trace.param_grads[conv.w]))) : "";
}
