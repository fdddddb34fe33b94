/**
 * Backward-pass formulas (lecture Claims 1 and 2), general form then numbers:
 *   ∂f/∂a_d = (2/m)(a_d − y)                       (mse)
 *   ∂f/∂a_i = W_{i+1}ᵀ ∂f/∂z_{i+1}
 *   ∂f/∂z_i = (W_{i+1}ᵀ ∂f/∂z_{i+1}) ⊙ b′(z_i)      (∂f/∂a_d ⊙ b′(z_d) for the last layer)
 *   ∂f/∂W_i = Σ_k ∂f/∂z_i(k) a_{i−1}(k)ᵀ,  ∂f/∂b_i = Σ_k ∂f/∂z_i(k)
 * Pure.
 */

import { array, dfd, matrix, mfrac, mi, mn, mo, mrow, msub, msup, mspace, mtext, vector, rowVector } from "../mathml.js";
import { asRows, consumerOf, eq, exNum, exSup, nodeById, outer, sym, transpose } from "./common.js";

const T = mi("T");
const hadamard = mo("⊙");

/** ∂f/∂a for the tensor read by the loss (a_d, or z_d for a stable bce). */
function lossInputGrad(trace, id, loss, k, m) {
  const g = trace.grads[id];
  const target = loss.inputs[1];
  if (loss.op !== "mse") {
    return [mrow(dfd(sym(id)), eq, mfrac(mrow(mi("∂"), mtext(loss.op)), mrow(mi("∂"), sym(id)))),
      mrow(dfd(sym(id, exNum(m, k))), eq, vector(g[k]))];
  }
  const coeff = m === 1 ? mn(2) : mfrac(mn(2), mn(m));
  return [
    mrow(dfd(sym(id)), eq, m === 1 ? mn(2) : mfrac(mn(2), mi("m")), mo("("), sym(id), mo("−"), mi("y"), mo(")")),
    mrow(dfd(sym(id, exNum(m, k))), eq, coeff, mo("("), vector(trace.values[id][k]), mo("−"),
      vector(trace.values[target][k]), mo(")"), eq, vector(g[k])),
  ];
}

/** ∂f/∂a_i = W_{i+1}ᵀ ∂f/∂z_{i+1}, read from the linear node z_{i+1} that consumes a_i. */
function backThroughLinear(trace, id, linear, k, m) {
  const W = linear.inputs[1];
  const Wt = transpose(asRows(trace.values[W]));
  return [
    mrow(dfd(sym(id)), eq, sym(W, T), dfd(sym(linear.id))),
    mrow(dfd(sym(id, exNum(m, k))), eq, matrix(Wt), vector(trace.grads[linear.id][k]), eq, vector(trace.grads[id][k])),
  ];
}

export function activationGradFormula(trace, id, k, m) {
  const consumer = consumerOf(trace, id);
  const value = trace.grads[id];
  if (consumer?.role === "loss") return { lines: lossInputGrad(trace, id, consumer, k, m), value };
  if (consumer?.op === "linear") return { lines: backThroughLinear(trace, id, consumer, k, m), value };
  return { lines: [mrow(dfd(sym(id, exNum(m, k))), eq, vector(value[k]))], value };
}

/** ∂f/∂z_i = ∂f/∂a_i ⊙ b′(z_i), with ∂f/∂a_i written out as W_{i+1}ᵀ ∂f/∂z_{i+1} when it is one. */
export function preActivationGradFormula(trace, z, k, m) {
  const act = trace.graph.nodes.find((n) => n.inputs[0] === z && n.role === "op" && n.op !== "linear");
  const value = trace.grads[z];
  if (!act) return { lines: [mrow(dfd(sym(z, exNum(m, k))), eq, vector(value[k]))], value };
  const a = act.id;
  const next = consumerOf(trace, a);
  const upstream = next?.op === "linear"
    ? mrow(mo("("), sym(next.inputs[1], T), dfd(sym(next.id)), mo(")"))
    : dfd(sym(a));
  const bprime = mrow(msup(mi("b"), mo("′")), mo("("), sym(z), mo(")"));
  const local = trace.local_derivatives[a];
  return {
    lines: [
      mrow(dfd(sym(z)), eq, upstream, hadamard, bprime, mspace(1), mtext(`b = ${act.op}`)),
      mrow(dfd(sym(z, exNum(m, k))), eq, vector(trace.grads[a][k]), hadamard, vector(local[k]), eq, vector(value[k])),
    ],
    value,
  };
}

/** ∂f/∂W_i = Σ_k ∂f/∂z_i(k) a_{i−1}(k)ᵀ and ∂f/∂b_i = Σ_k ∂f/∂z_i(k). */
export function paramGradFormula(trace, param, k, m) {
  const linear = trace.graph.nodes.find((n) => n.op === "linear" && n.inputs.includes(param));
  const value = trace.param_grads[param];
  if (!linear) return { lines: [mrow(dfd(sym(param)), eq, matrix(asRows(value)))], value };
  const [aPrev, W] = linear.inputs;
  const z = linear.id;
  const sum = m > 1 ? msub(mo("∑"), mi("k")) : "";
  if (param !== W) {
    return {
      lines: [mrow(dfd(sym(param)), eq, sum, dfd(sym(z, exSup(m)))), mrow(dfd(sym(param)), eq, vector(value))],
      value,
    };
  }
  const lines = [mrow(dfd(sym(W)), eq, sum, dfd(sym(z, exSup(m))), sym(aPrev, mrow(exSup(m), T)))];
  const dz = trace.grads[z][k];
  const a = trace.values[aPrev][k];
  const term = outerProduct(dz, a);
  if (m === 1) lines.push(mrow(dfd(sym(W)), eq, term, eq, array(value)));
  else {
    lines.push(mrow(mtext(`example k = ${k + 1}:`), mspace(0.6), term, eq, array(outer(dz, a))));
    lines.push(mrow(dfd(sym(W)), eq, mtext(`sum over the ${m} examples`), eq, array(value)));
  }
  return { lines, value };
}

/** u vᵀ written out; a scalar factor gets an explicit "·" so two numbers never touch. */
function outerProduct(u, v) {
  const dot = u.length === 1 || v.length === 1 ? mo("·") : "";
  return mrow(vector(u), dot, rowVector(v));
}

export function gradFormula(trace, id, k, m) {
  const node = nodeById(trace, id);
  if (node.op === "linear") return preActivationGradFormula(trace, id, k, m);
  return activationGradFormula(trace, id, k, m);
}
