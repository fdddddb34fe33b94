/**
 * Helpers shared by the forward, backward and update formulas: graph look-ups and the
 * small array manipulations the numbers need. Pure.
 */

import { mi, mn, mo, mrow, msub, msup, sym as lectureSym } from "../mathml.js";
import { YHAT } from "../stage/names.js";

export const eq = mo("=");

/**
 * A node's symbol in MathML, as the stage writes it: mathml.js's sym, except an RNN's output
 * yhat_t, which is ŷ_t (the same character as the stage's label) rather than "yhat" with a
 * subscript.
 */
export function sym(id, sup = "") {
  const hat = /^yhat(\d*)$/.exec(id);
  if (!hat) return lectureSym(id, sup);
  if (!hat[1]) return sup ? msup(mi(YHAT), sup) : mi(YHAT);
  const index = `<mn>${Number(hat[1])}</mn>`;
  return sup ? `<msubsup>${mi(YHAT)}${index}${sup}</msubsup>` : msub(mi(YHAT), index);
}

/** The (k) superscript of a per-example vector, written only when the batch has m > 1. */
export const exSup = (m) => (m > 1 ? mrow(mo("("), mi("k"), mo(")")) : "");

/** The same superscript with example k's number (1-based), for the lines with numbers. */
export const exNum = (m, k) => (m > 1 ? mrow(mo("("), mn(k + 1), mo(")")) : "");

export const transpose = (rows) => rows[0].map((_, c) => rows.map((r) => r[c]));

/** A parameter as rows: a bias vector b becomes a column, a matrix stays as it is. */
export const asRows = (w) => (Array.isArray(w[0]) ? w : w.map((v) => [v]));

/** The batch size m of a trace (rows of the input a₀). */
export const batchOf = (trace) => trace.values.a0?.length ?? 1;

export function nodeById(trace, id) {
  return trace.graph.nodes.find((n) => n.id === id);
}

/** The op node that reads `id` (z_{i+1} reads a_i; the loss reads a_d), or undefined. */
export function consumerOf(trace, id) {
  return trace.graph.nodes.find((n) => n.role !== "param" && n.inputs.includes(id));
}

/** The outer product u vᵀ as rows. */
export const outer = (u, v) => u.map((ui) => v.map((vj) => ui * vj));

export const squaredDistance = (a, y) => a.reduce((s, v, j) => s + (v - y[j]) ** 2, 0);
