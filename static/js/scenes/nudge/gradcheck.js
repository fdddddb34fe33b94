/**
 * The gradient-checking table: POST /gradcheck's central differences against backprop,
 * per parameter and per node, with a pass mark that does not rely on colour (✓ / ✗ and
 * the words). A relative error below 1e−6 passes: central differences are exact to
 * O(ε²) plus rounding of order 1e−16/ε.
 */

import { formatNumber } from "../../format.js";

export const PASS_BELOW = 1e-6;

function row(name, check) {
  const ok = check.max_relative_error < PASS_BELOW;
  const tr = document.createElement("tr");
  tr.dataset.name = name;
  tr.dataset.error = String(check.max_relative_error);
  tr.className = ok ? "gc-pass" : "gc-fail";
  tr.innerHTML = `<th scope="row">${name}</th><td>${check.checked} of ${check.total}</td>
    <td>${formatNumber(check.max_relative_error, 3)}</td><td>${ok ? "✓ agrees" : "✗ differs"}</td>`;
  return tr;
}

/** Fills `table` (a <table> with a <tbody>) and `summary` from a /gradcheck answer. */
export function showGradcheck(table, summary, answer) {
  const rows = [...Object.entries(answer.params).map(([n, c]) => row(n, c)),
    ...Object.entries(answer.nodes ?? {}).map(([n, c]) => row(`∂f/∂${n}`, c))];
  table.tBodies[0].replaceChildren(...rows);
  summary.dataset.maxError = String(answer.max_relative_error);
  summary.dataset.forwardPasses = String(answer.forward_passes);
  summary.textContent = `ε = ${formatNumber(answer.eps)}: largest relative error over the parameters `
    + `${formatNumber(answer.max_relative_error, 3)}, from ${answer.forward_passes} forward passes `
    + "(two per entry checked) — backprop got them all from one forward and one backward pass.";
}
