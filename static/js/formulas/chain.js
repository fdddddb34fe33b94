/**
 * The chain rule of a backward step on any graph (kind "graph", "rnn"): the gradient of a
 * node is the sum, over the ops that read it, of each op's local rule applied to the
 * gradient of the op's result (the lecture's ∂f/∂u = Σ_{v reads u} ∂f/∂v · ∂v/∂u).
 * First the rule in symbols, then the same rule with the numbers, then their sum. Pure.
 *
 * Each op of the engine's registry has a rule here: for the input at `position` of an op
 * node `op` whose result has gradient g = ∂f/∂op, `rule` gives {symbols, factors}:
 * MathML for the term, and the numbers it multiplies (or null where the rule has no
 * two-factor form worth showing, e.g. softmax): the numbers line is then just the result.
 */

import { array, dfd, mfrac, mi, mn, mo, mrow, msub, msup, mtext } from "../mathml.js";
import { eq, sym, transpose } from "./common.js";
import { stageId } from "../stage/names.js";

const T = mi("T");
const had = mo("⊙");
const paren = (...x) => mrow(mo("("), ...x, mo(")"));
const prime = (name, arg) => mrow(msup(mi(name), mo("′")), paren(arg));
const sumOver = (what) => msub(mo("∑"), mtext(what));

const generic = (op, position) => ({ symbols: mrow(dfd(sym(op.id)), mo("·"),
  mfrac(mrow(mi("∂"), sym(op.id)), mrow(mi("∂"), sym(op.inputs[position])))), factors: null });

/** The local rule of `op` for its input at `position`: {symbols, factors, note?}. */
function rule(trace, op, position) {
  return opRule(trace, op, position) ?? generic(op, position);
}

function opRule(trace, op, position) {
  const g = dfd(sym(op.id));
  const [A, B, C] = op.inputs;
  const v = (id) => trace.values[id];
  const G = trace.grads[op.id];
  const other = op.inputs[1 - position];
  switch (op.op) {
    case "add": return { symbols: g, factors: null, note: "add passes ∂f/∂(sum) to both inputs" };
    case "sub": return position === 0 ? { symbols: g, factors: null } : { symbols: mrow(mo("−"), g), factors: null };
    case "neg": return { symbols: mrow(mo("−"), g), factors: null };
    case "mul": return { symbols: mrow(g, had, sym(other)), factors: [array(G), had, array(v(other))] };
    case "div": return position === 0
      ? { symbols: mrow(g, mo("⊘"), sym(B)), factors: [array(G), mo("⊘"), array(v(B))] }
      : { symbols: mrow(mo("−"), g, had, sym(A), mo("⊘"), msup(sym(B), mn(2))), factors: null };
    case "matmul": return position === 0
      ? { symbols: mrow(g, msup(sym(B), T)), factors: [array(G), mo("·"), array(transposed(v(B)))] }
      : { symbols: mrow(msup(sym(A), T), g), factors: [array(transposed(v(A))), mo("·"), array(G)] };
    case "linear": return linearRule(trace, op, position, g);
    case "rnn_pre": case "lstm_gates": return cellRule(trace, op, position, g);
    case "lstm_c": return position === 1 ? { symbols: mrow(g, had, msub(mi("f"), mi("t"))), factors: null, note: "the forget gate f_t scales what c_{t−1} passes on" } : null;
    case "lstm_h": return position === 1 ? { symbols: mrow(g, had, msub(mi("o"), mi("t")), had, prime("tanh", sym(op.inputs[1]))), factors: null } : null;
    case "transpose": return { symbols: msup(g, T), factors: null };
    case "exp": return { symbols: mrow(g, had, sym(op.id)), factors: [array(G), had, array(v(op.id))] };
    case "log": return { symbols: mrow(g, mo("⊘"), sym(A)), factors: [array(G), mo("⊘"), array(v(A))] };
    case "square": return { symbols: mrow(mn(2), g, had, sym(A)), factors: [mn(2), array(G), had, array(v(A))] };
    case "sum": return { symbols: mrow(g, mo("·"), mn(1)), factors: null, note: "every entry of the input gets ∂f/∂(sum)" };
    case "mean": return { symbols: mfrac(g, mi("n")), factors: null, note: "every entry gets ∂f/∂(mean) / n" };
    case "softmax": return { symbols: mrow(sym(op.id), had, paren(g, mo("−"), mo("⟨"), g, mo(","), sym(op.id), mo("⟩"))), factors: null };
    case "conv1d": return position === 0
      ? { symbols: mrow(sumOver("patches j"), g, mtext("[:, j]"), mo("·"), sym(B)), factors: null, note: "each x[:, j+i] collects ∂f/∂out[:, j] · w[i] from every patch j that covers it" }
      : { symbols: mrow(sumOver("examples, patches j"), g, mtext("[:, j]"), mo("·"), sym(A), mtext("[:, j:j+k]")), factors: null };
    case "cross_entropy": return position === 0
      ? { symbols: mrow(mfrac(mn(1), mi("m")), paren(mtext("softmax"), paren(sym(A)), mo("−"), sym(B))), factors: null }
      : null;
    case "bce": return position === 0
      ? { symbols: mrow(mfrac(mn(1), mi("m")), paren(mi("σ"), paren(sym(A)), mo("−"), sym(B))), factors: null }
      : null;
    case "mse": return position === 0
      ? { symbols: mrow(mfrac(mn(2), mi("m")), paren(sym(A), mo("−"), sym(B))), factors: null }
      : { symbols: mrow(mo("−"), mfrac(mn(2), mi("m")), paren(sym(A), mo("−"), sym(B))), factors: null };
    default: return activationRule(trace, op, g);
  }
}

/** z = a Wᵀ + b (batch first): ∂f/∂a = g W, ∂f/∂W = gᵀ a, ∂f/∂b = Σ_k g(k). */
function linearRule(trace, op, position, g) {
  const [a, W] = op.inputs;
  const G = trace.grads[op.id];
  if (position === 0) return { symbols: mrow(g, sym(W)), factors: [array(G), mo("·"), array(trace.values[W])] };
  if (position === 1) return { symbols: mrow(msup(g, T), sym(a)), factors: [array(transposed(G)), mo("·"), array(trace.values[a])] };
  return { symbols: mrow(sumOver("examples k"), g, mtext("(k)")), factors: null };
}

/** z_t = x_t W_ihᵀ + h_{t−1} W_hhᵀ + b_ih + b_hh (inputs x, h, W_ih, W_hh, b_ih, b_hh). */
function cellRule(trace, op, position, g) {
  const [x, h, Wih, Whh] = op.inputs;
  const G = trace.grads[op.id];
  const v = (id) => trace.values[id];
  if (position === 0) return { symbols: mrow(g, sym(Wih)), factors: [array(G), mo("·"), array(v(Wih))] };
  if (position === 1) return { symbols: mrow(g, sym(Whh)), factors: [array(G), mo("·"), array(v(Whh))] };
  if (position === 2) return { symbols: mrow(msup(g, T), sym(x)), factors: null };
  if (position === 3) return { symbols: mrow(msup(g, T), sym(h)), factors: null };
  return { symbols: mrow(sumOver("examples k"), g, mtext("(k)")), factors: null };
}

/** b(A) elementwise: ∂f/∂A = ∂f/∂b ⊙ b′(A), with b′ from the trace's local derivatives. */
function activationRule(trace, op, g) {
  const local = trace.local_derivatives?.[op.id];
  if (op.inputs.length !== 1 || op.role === "loss") return null;
  const symbols = mrow(g, had, prime(op.op, sym(op.inputs[0])));
  return { symbols, factors: local === undefined ? null : [array(trace.grads[op.id]), had, array(local)] };
}

/** Aᵀ for a matrix (common.js's transpose); a vector's transpose is its column. */
function transposed(value) {
  if (!Array.isArray(value)) return value;
  return Array.isArray(value[0]) ? transpose(value) : value.map((x) => [x]);
}

/** The ops that read `id`, each with the position of `id` among its inputs. */
export function usesOf(trace, id) {
  const out = [];
  for (const n of trace.graph.nodes) {
    if (n.role !== "op" && n.role !== "loss") continue;
    n.inputs.forEach((input, position) => { if (input === id) out.push({ op: n, position }); });
  }
  return out;
}

const gradOf = (trace, id) => trace.param_grads?.[id] ?? trace.grads[id];

/** The per-use terms of a node read more than once, as the API reports them. */
function termsOf(trace, id) {
  return trace.branch_contributions?.[id] ?? trace.contributions?.[id] ?? null;
}

/** {lines, value} of the backward step at node `id`: the rule, the numbers, and a line of
 * plain words where an op's rule needs one (add, sum, conv1d, a sum over uses). */
export function chainFormula(trace, id) {
  const { lines, value, notes } = chainLines(trace, id);
  return { lines: [...lines, ...notes.map((n) => mrow(mtext(n)))], value };
}

function chainLines(trace, id) {
  const value = gradOf(trace, id);
  const uses = usesOf(trace, id);
  const lhs = dfd(sym(id));
  if (uses.length === 0) return { lines: [mrow(lhs, eq, array(value))], value, notes: [] };
  const rules = uses.map(({ op, position }) => rule(trace, op, position));
  const notes = rules.map((r) => r.note).filter(Boolean);
  if (uses.length === 1) {
    const [r] = rules;
    const numbers = r.factors ? [...r.factors, eq] : [];
    return { lines: [mrow(lhs, eq, r.symbols), mrow(lhs, eq, ...numbers, array(value))], value, notes };
  }
  const plus = (items) => items.flatMap((x, i) => (i ? [mo("+"), x] : [x]));
  const terms = termsOf(trace, id);
  const viaTerm = (r, i) => msub(paren(r.symbols), mtext(`via ${stageId(uses[i].op.id)}`));
  const shown = rules.map(viaTerm);
  const written = shown.length > 4 ? [shown[0], shown[1], mo("…"), shown.at(-1)] : shown;
  const lines = [mrow(lhs, eq, mrow(...plus(written)))];
  if (terms && terms.length === uses.length && uses.length <= 4) lines.push(mrow(eq, ...plus(terms.map((t) => array(t.grad))), eq, array(value)));
  else lines.push(mrow(lhs, eq, array(value)));
  const unique = [...new Set(notes)];
  return { lines, value, notes: [`${uses.length} ops read this node: its gradient is the sum of their ${uses.length} terms`, ...unique] };
}
