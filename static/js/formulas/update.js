/**
 * The gradient-descent update W_i ← W_i − η ∂f/∂W_i with the numbers the server used,
 * and the linear warm-up's closed form (3) shown beside the backward pass's ∂f/∂w_i. Pure.
 */

import { dfd, matrix, mi, mn, mo, mrow, msub, mspace, mtext } from "../mathml.js";
import { formatNumber } from "../format.js";
import { closedFormGrad, warmupScalars } from "../warmup.js";
import { asRows, eq, sym } from "./common.js";

export function updateFormula(update, param) {
  const eta = mi("η");
  return {
    lines: [
      mrow(sym(param), mo("←"), sym(param), mo("−"), eta, dfd(sym(param))),
      mrow(sym(param), mo("←"), matrix(asRows(update.params_before[param])), mo("−"), mn(update.lr),
        mo("·"), matrix(asRows(update.param_grads[param])), eq, matrix(asRows(update.params[param]))),
    ],
    value: update.params[param],
  };
}

const w = (i) => msub(mi("w"), mn(i));

function product(from, to) {
  // w_from ⋯ w_to (from > to); a single factor is written alone, none is "1".
  if (from < to) return mn(1);
  if (from === to) return w(from);
  if (from - to <= 2) return mrow(...Array.from({ length: from - to + 1 }, (_, j) => w(from - j)));
  return mrow(w(from), mo("⋯"), w(to));
}

/**
 * Lines comparing ∂f/∂w_i from backprop with eq. (3) computed from the weights alone,
 * both at 12 significant digits, and the closed-form value for data attributes.
 */
export function closedFormLines(trace, param) {
  const i = Number(param.slice(1));
  const { w: ws, x, y } = warmupScalars(trace);
  const d = ws.length;
  const cf = closedFormGrad(ws, x, y, i);
  const backprop = trace.param_grads[param];
  const bp = Array.isArray(backprop) ? backprop.flat(Infinity)[0] : backprop;
  const lines = [
    mrow(mtext("(3)"), mspace(0.6), dfd(w(i)), eq, mn(2), mo("("), product(d, 1), mi("x"), mo("−"), mi("y"), mo(")"),
      mo("("), product(d, i + 1), mo(")"), mo("("), i > 1 ? product(i - 1, 1) : "", mi("x"), mo(")")),
    mrow(eq, mn(2), mo("("), mn(cf.output), mo("−"), mn(y), mo(")"), mo("·"), mn(cf.tail), mo("·"), mn(cf.prefix),
      eq, mn(cf.value)),
    mrow(mtext("backprop:"), mspace(0.5), mtext(formatNumber(bp, 12)), mspace(1.5),
      mtext("closed form (3):"), mspace(0.5), mtext(formatNumber(cf.value, 12))),
  ];
  return { lines, closedForm: cf.value };
}
