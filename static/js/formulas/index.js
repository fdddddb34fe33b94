/**
 * What the formula panel shows for a step: {lines: [MathML], value, closedForm?,
 * narration}. Dispatches on the step's kind; MLP nodes get the lecture's equations, any
 * other node the generic "node = value" / "∂f/∂node = gradient". Pure.
 */

import { array, dfd, mi, mn, mrow, msub } from "../mathml.js";
import { formatNumber } from "../format.js";
import { stageGradSymbol, stageSymbol } from "../stage/names.js";
import { isLinearWarmup } from "../warmup.js";
import { batchOf, eq, nodeById, sym } from "./common.js";
import { activationFormula, inputFormula, linearFormula, lossFormula } from "./forward.js";
import { gradFormula, paramGradFormula } from "./backward.js";
import { chainFormula } from "./chain.js";
import { closedFormLines, updateFormula } from "./update.js";

function forwardFormula(trace, step, k, m) {
  const node = nodeById(trace, step.node);
  if (trace.kind !== "mlp") return { lines: [mrow(sym(step.node), eq, array(trace.values[step.node]))], value: trace.values[step.node] };
  if (step.kind === "input") return inputFormula(trace, step.node, k, m);
  if (step.kind === "loss") return lossFormula(trace, step.node, k, m);
  if (node.op === "linear") return linearFormula(trace, step.node, k, m);
  if (node.inputs.length === 1 && trace.kind === "mlp") return activationFormula(trace, step.node, k, m);
  return { lines: [mrow(sym(step.node), eq, array(trace.values[step.node]))], value: trace.values[step.node] };
}

function backwardFormula(trace, step, k, m) {
  if (trace.kind !== "mlp") return chainFormula(trace, step.node);
  if (step.kind === "param-grad") {
    const out = paramGradFormula(trace, step.node, k, m);
    if (/^W\d+$/.test(step.node) && isLinearWarmup(trace)) {
      const cf = closedFormLines(trace, step.node);
      return { ...out, lines: [...out.lines, ...cf.lines], closedForm: cf.closedForm };
    }
    return out;
  }
  const out = gradFormula(trace, step.node, k, m);
  const z = /^z(\d+)$/.exec(step.node);
  if (z && isLinearWarmup(trace)) {
    // The lecture's warm-up calls ∂f/∂z_i "g_i": name it so the board and the screen agree.
    const value = Array.isArray(out.value) ? out.value.flat(Infinity)[0] : out.value;
    return { ...out, lines: [...out.lines, mrow(msub(mi("g"), mn(Number(z[1]))), eq, dfd(sym(step.node)), eq, mn(value))] };
  }
  return out;
}

/** The example-k numbers of a result, for the narration ("∂f/∂z₂ = −0.42, 0.13"). */
function narrationNumbers(value, k, perExample) {
  let v = value;
  if (perExample && Array.isArray(v) && Array.isArray(v[0])) v = v[k];
  const flat = Array.isArray(v) ? v.flat(Infinity) : [v];
  const shown = flat.slice(0, 4).map((x) => formatNumber(x));
  return shown.join(", ") + (flat.length > 4 ? ", …" : "");
}

function narrationOf(step, value, k) {
  const perExample = step.kind !== "param-grad" && step.kind !== "update" && step.kind !== "loss";
  const numbers = narrationNumbers(value, k, perExample);
  if (step.phase === "forward") return `${stageSymbol(step.node)} = ${numbers}`;
  if (step.phase === "backward") return `${stageGradSymbol(step.node)} = ${numbers}`;
  return `${stageSymbol(step.node)} updated to ${numbers}`;
}

/**
 * The formula of `step` for example k (0-based). `iteration` is the timeline's record
 * {trace, update}.
 */
export function formulaFor(step, iteration, k) {
  const { trace, update } = iteration;
  const m = batchOf(trace);
  const kk = Math.min(Math.max(0, k), m - 1);
  let out;
  if (step.phase === "forward") out = forwardFormula(trace, step, kk, m);
  else if (step.phase === "backward") out = backwardFormula(trace, step, kk, m);
  else out = updateFormula(update, step.node);
  return { ...out, narration: narrationOf(step, out.value, kk) };
}
