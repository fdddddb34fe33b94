/**
 * The backward-through-time recursion at one step, in the lecture's notation (MathML):
 *   ∂f/∂h_t = W_hhᵀ (b′(z_{t+1}) ⊙ ∂f/∂h_{t+1})  (+ W_outᵀ ∂f/∂ŷ_t when every step has a loss),
 * with t filled in, and the norm it gives. b′ is the activation's derivative, as in the
 * lecture's ∂f/∂z_i = (W_{i+1}ᵀ ∂f/∂z_{i+1}) ⊙ b′(z_i). Pure: strings only.
 */

import { dfd, math, mi, mn, mo, mrow, msub } from "../../mathml.js";
import { formatNumber, subscript } from "../../format.js";

const transposed = (name, sub) => `<msubsup>${mi(name)}${mi(sub)}${mi("T")}</msubsup>`;
const paren = (...parts) => mrow(mo("("), ...parts, mo(")"));

const num = (n) => `<mn>${n}</mn>`;
const sub = (name, index) => msub(mi(name), index);

function readOut(i) {
  return mrow(transposed("W", "out"), dfd(sub("ŷ", i)));
}

// i and next are the subscripts t and t + 1 as markup: numbers, or symbols when idle.
// For the LSTM, z_{t+1} stacks the four gates' pre-activations (W_hh is (4H, H)).
function recursion(i, next, cell) {
  if (cell === "lstm") return mrow(transposed("W", "hh"), dfd(sub("z", next)));
  return mrow(transposed("W", "hh"), paren(mi("b′"), paren(sub("z", next)), mo("⊙"), dfd(sub("h", next))));
}

/** The LSTM's cell-state path: c_{t+1} = f_{t+1} ⊙ c_t + …, h_t = o_t ⊙ tanh(c_t). */
function cellPath(i, next) {
  return mrow(dfd(sub("c", i)), mo("="), sub("o", i), mo("⊙"), mi("tanh′"), paren(sub("c", i)), mo("⊙"),
    dfd(sub("h", i)), mo("+"), sub("f", next), mo("⊙"), dfd(sub("c", next)));
}

/** The rows of the recursion at subscripts i (and next = i + 1). */
function equations(i, next, { cell, perStepLoss, last }) {
  let rhs;
  if (last) rhs = readOut(i);
  else rhs = perStepLoss ? mrow(recursion(i, next, cell), mo("+"), readOut(i)) : recursion(i, next, cell);
  const rows = [mrow(dfd(sub("h", i)), mo("="), rhs)];
  if (cell === "lstm" && !last) rows.push(cellPath(i, next));
  return rows;
}

// One <math> per row, stacked by CSS: Chromium's MathML ignores mtable's columnalign.
const table = (rows) => rows.map((r) => math(r)).join("");

/** The recursion with a symbolic t, shown before the walk starts. */
export function generalFormula({ cell, perStepLoss }) {
  const next = mrow(mi("t"), mo("+"), mn(1));
  return table(equations(mi("t"), next, { cell, perStepLoss, last: false }));
}

/**
 * MathML for step t of T. perStepLoss: the loss reads ŷ_t at every step (mse_all), which
 * adds the read-out term. norm and next: ‖∂f/∂h_t‖ and ‖∂f/∂h_{t+1}‖ (next null at t = T).
 */
export function stepFormula({ t, steps, cell, perStepLoss, norm, next }) {
  const rows = equations(num(t), num(t + 1), { cell, perStepLoss, last: t === steps });
  const lhs = dfd(sub("h", num(t)));
  const size = mrow(mo("‖"), lhs, mo("‖"), mo("="), mn(norm));
  const ratio = next !== null && Number.isFinite(norm) && Number.isFinite(next) && next > 0
    ? mrow(mo("="), mn(norm / next), mo("×"), mo("‖"), dfd(sub("h", num(t + 1))), mo("‖"))
    : "";
  return table([...rows, mrow(size, ratio)]);
}

/** The same step as one plain sentence, for the readout and screen readers. */
export function stepSentence({ t, norm, next }) {
  const base = `t = ${t}: ‖∂f/∂h${subscript(t)}‖ = ${formatNumber(norm)}`;
  if (next === null) return `${base} (the start of the backward sweep, at the last step)`;
  if (!Number.isFinite(norm)) return `${base} — overflowed`;
  return next > 0 ? `${base}, ×${formatNumber(norm / next)} of step ${t + 1}` : base;
}
