/**
 * The conv1d scene: the kernel w slid over x, one patch at a time, with patch j's term of
 * ∂f/∂w (patch_contributions["out"][j]) and the running sum that ends at ∂f/∂w.
 */

import { ensureStyle, runningSums } from "./dag/sums.js";

const fmt = (v) => `[${v.map((x) => Number(x).toPrecision(4)).join(", ")}]`;

export function mount(root, { api, preset }) {
  ensureStyle(root.ownerDocument);
  root.innerHTML = `<h2>One kernel, every patch</h2>
    <button type="button" data-testid="conv-next">Next patch</button>
    <button type="button" data-testid="conv-play">Auto-play</button>
    <div class="conv-row" data-testid="conv-x"></div><p data-testid="conv-term"></p><p data-testid="conv-sum"></p><p data-testid="conv-grad"></p>`;
  const [next, play] = root.querySelectorAll("button");
  const term = root.querySelector('[data-testid="conv-term"]');
  const sum = root.querySelector('[data-testid="conv-sum"]');
  let rows = [], sums = [], j = -1, timer = null;
  const xRow = root.querySelector(".conv-row");
  const x0 = preset.inputs.x[0];
  xRow.replaceChildren(...x0.map((v, i) => Object.assign(root.ownerDocument.createElement("span"),
    { textContent: Number(v).toPrecision(3), className: "conv-cell", title: `x[0, ${i}]` })));
  function show() {
    [...xRow.children].forEach((cell, i) => cell.classList.toggle("lit", i >= j && i < j + 3));
    term.textContent = `patch ${j}: term = ${fmt(rows[j])}`;
    sum.textContent = `running sum = ${fmt(sums[j])}`;
    sum.dataset.value = JSON.stringify(sums[j]);
    sum.dataset.patch = String(j);
  }
  const step = () => { if (j < rows.length - 1) { j += 1; show(); } else clearInterval(timer); };
  next.addEventListener("click", step);
  play.addEventListener("click", () => { clearInterval(timer); timer = setInterval(step, 700); });
  api.backprop({ network: preset.network, inputs: preset.inputs }).then((trace) => {
    rows = trace.patch_contributions.out;
    sums = runningSums(rows);
    root.querySelector('[data-testid="conv-grad"]').textContent = `∂f/∂w = ${fmt(trace.param_grads.w)}`;
  });
  return { destroy() { clearInterval(timer); root.replaceChildren(); } };
}
