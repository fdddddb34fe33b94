/**
 * Forward-pass formulas: a₀ = x, z_i = W_i a_{i−1} + b_i, a_i = b(z_i), and the loss f,
 * each written first in symbols, then with example k's numbers. Pure.
 */

import { matrix, mfrac, mi, mn, mo, mrow, msub, msup, mspace, mtext, vector } from "../mathml.js";
import { asRows, eq, exNum, exSup, nodeById, squaredDistance, sym } from "./common.js";

export function inputFormula(trace, node, k, m) {
  const v = trace.values[node];
  return {
    lines: [mrow(sym(node), eq, mi("x")), mrow(sym(node, exNum(m, k)), eq, vector(v[k]))],
    value: v,
  };
}

export function linearFormula(trace, z, k, m) {
  const [aPrev, W, b] = nodeById(trace, z).inputs;
  const general = [sym(z), eq, sym(W), sym(aPrev)];
  const numbers = [sym(z, exNum(m, k)), eq, matrix(asRows(trace.values[W])), vector(trace.values[aPrev][k])];
  if (b) {
    general.push(mo("+"), sym(b));
    numbers.push(mo("+"), vector(trace.values[b]));
  }
  numbers.push(eq, vector(trace.values[z][k]));
  return { lines: [mrow(...general), mrow(...numbers)], value: trace.values[z] };
}

export function activationFormula(trace, a, k, m) {
  const node = nodeById(trace, a);
  const z = node.inputs[0];
  return {
    lines: [
      mrow(sym(a), eq, mi("b"), mo("("), sym(z), mo(")"), mspace(1), mtext(`b = ${node.op}`)),
      mrow(sym(a, exNum(m, k)), eq, mi(node.op), mo("("), vector(trace.values[z][k]), mo(")"),
        eq, vector(trace.values[a][k])),
    ],
    value: trace.values[a],
  };
}

/** The mse loss: f = (1/m) Σ_k ‖a_d(k) − y(k)‖², example k's term, then the sum. */
function mseFormula(trace, pred, target, value, k, m) {
  const rows = trace.values[pred];
  const ys = trace.values[target];
  // One output: the lecture's (ŷ − y)²; several: the squared norm ‖a_d − y‖².
  const [open, close] = rows[0].length === 1 ? ["(", ")"] : ["‖", "‖"];
  const norm2 = (inner) => msup(mrow(mo(open), inner, mo(close)), mn(2));
  const example = norm2(mrow(vector(rows[k]), mo("−"), vector(ys[k])));
  if (m === 1) {
    return [mrow(mi("f"), eq, norm2(mrow(sym(pred), mo("−"), mi("y")))), mrow(mi("f"), eq, example, eq, mn(value))];
  }
  const terms = rows.map((r, i) => mn(squaredDistance(r, ys[i])));
  const shown = terms.length <= 6 ? terms : [terms[0], terms[1], mo("⋯"), terms[terms.length - 1]];
  const sum = shown.flatMap((t, i) => (i ? [mo("+"), t] : [t]));
  return [
    mrow(mi("f"), eq, mfrac(mn(1), mi("m")), msub(mo("∑"), mi("k")),
      norm2(mrow(sym(pred, exSup(m)), mo("−"), msup(mi("y"), exSup(m))))),
    mrow(mtext(`example k = ${k + 1}:`), mspace(0.6), example, eq, terms[k]),
    mrow(mi("f"), eq, mfrac(mn(1), mn(m)), mo("("), ...sum, mo(")"), eq, mn(value)),
  ];
}

export function lossFormula(trace, id, k, m) {
  const node = nodeById(trace, id);
  const [pred, target] = node.inputs;
  const value = trace.values[id];
  if (node.op === "mse") return { lines: mseFormula(trace, pred, target, value, k, m), value };
  return {
    lines: [mrow(mi("f"), eq, mtext(node.op), mo("("), sym(pred), mo(","), mi("y"), mo(")"), eq, mn(value))],
    value,
  };
}
