/**
 * The recorded run as a list of steps the player walks through. Pure: no DOM, no fetch.
 *
 * An iteration is one forward pass, one backward pass and one gradient-descent update
 * of the same parameters: {trace, update}, where `trace` merges the session's forward
 * and backward answers and `update` is the /step answer (null until it was requested).
 * A step is {iteration, phase, node, kind}:
 *   forward:  kind "input" (a₀ = x), "value" (z_i, a_i), "loss" (f)
 *   backward: kind "grad" (∂f/∂a_i, ∂f/∂z_i), "param-grad" (∂f/∂W_i, ∂f/∂b_i)
 *   update:   kind "update" (W_i ← W_i − η ∂f/∂W_i), one per parameter
 * Every step ever shown stays recorded, so stepping back replays exactly what was shown.
 */

const roleOf = (trace) => new Map(trace.graph.nodes.map((n) => [n.id, n.role]));

/** How many ops read each node (an op reading a node twice counts once). */
function readersPerNode(trace) {
  const count = new Map();
  for (const n of trace.graph.nodes) for (const id of new Set(n.inputs)) count.set(id, (count.get(id) ?? 0) + 1);
  return count;
}

/** The forward and backward steps of one traced iteration. */
export function passSteps(iteration, trace) {
  const role = roleOf(trace);
  const steps = [];
  const firstInput = trace.forward_order.find((id) => role.get(id) === "input");
  if (firstInput !== undefined) steps.push({ iteration, phase: "forward", node: firstInput, kind: "input" });
  for (const id of trace.forward_order) {
    const r = role.get(id);
    // Leaves (inputs, parameters) are given, not computed: no forward step of their own.
    if (r === "op") steps.push({ iteration, phase: "forward", node: id, kind: "value" });
    else if (r === "loss") steps.push({ iteration, phase: "forward", node: id, kind: "loss" });
  }
  const reads = readersPerNode(trace);
  for (const id of trace.backward_order) {
    const r = role.get(id);
    // ∂f/∂f = 1 and the gradient of an input read once teach nothing here; parameters are
    // the point, and so is an input read by several ops (x in a skip connection): its
    // gradient is the sum over those paths.
    if (r === "op" || (r === "input" && reads.get(id) > 1)) steps.push({ iteration, phase: "backward", node: id, kind: "grad" });
    else if (r === "param") steps.push({ iteration, phase: "backward", node: id, kind: "param-grad" });
  }
  return steps;
}

/** The update steps of an iteration: one per parameter, in the order the API lists them. */
export function updateSteps(iteration, paramNames) {
  return paramNames.map((node) => ({ iteration, phase: "update", node, kind: "update" }));
}

/** The run so far, and a cursor on the step being shown. */
export class Timeline {
  constructor() {
    this.iterations = [];
    this.steps = [];
    this.cursor = -1;
  }

  get current() {
    return this.steps[this.cursor] ?? null;
  }

  get atStart() {
    return this.cursor <= 0;
  }

  get atEnd() {
    return this.cursor >= this.steps.length - 1;
  }

  /** What must be fetched before the cursor can move past the last step, or null. */
  pending() {
    if (!this.atEnd || this.iterations.length === 0) return null;
    const last = this.iterations[this.iterations.length - 1];
    return last.update === null ? "update" : "iteration";
  }

  /** Records a new forward + backward trace; the cursor stays where it is. */
  addIteration(trace) {
    const iteration = this.iterations.length;
    this.iterations.push({ trace, update: null });
    this.steps.push(...passSteps(iteration, trace));
    if (this.cursor < 0) this.cursor = 0;
  }

  /** Records the /step answer of the last iteration. */
  addUpdate(update) {
    const iteration = this.iterations.length - 1;
    this.iterations[iteration].update = update;
    this.steps.push(...updateSteps(iteration, Object.keys(update.params)));
  }

  /** Moves one step forward; false when the next step has not been fetched yet. */
  next() {
    if (this.atEnd) return false;
    this.cursor += 1;
    return true;
  }

  /** Moves one step back; false at the first step. */
  back() {
    if (this.atStart) return false;
    this.cursor -= 1;
    return true;
  }

  /** Index of the first (last) recorded step of the pass the cursor is in: the steps of
   * the same phase in the same iteration. */
  passBound(direction) {
    const here = this.current;
    if (!here) return this.cursor;
    let i = this.cursor;
    const inPass = (s) => s && s.iteration === here.iteration && s.phase === here.phase;
    while (inPass(this.steps[i + direction])) i += direction;
    return i;
  }

  /** Home: to the first step of the current pass, or, already there, of the previous one. */
  toPassStart() {
    const from = this.cursor;
    if (this.passBound(-1) === this.cursor && this.cursor > 0) this.cursor -= 1;
    this.cursor = this.passBound(-1);
    return this.cursor !== from;
  }

  /** End: to the last recorded step of the current pass; false when already there (the
   * next pass may have to be fetched first). */
  toPassEnd() {
    const from = this.cursor;
    this.cursor = this.passBound(1);
    return this.cursor !== from;
  }

  /** Back to the first step of the first iteration (the recorded run is kept). */
  rewind() {
    this.cursor = this.steps.length ? 0 : -1;
  }

  /**
   * Where the current step stands in its iteration (forward, backward and update):
   * {index, total}, from 1. The update's steps count before they are fetched (one per
   * parameter), so the total of an iteration never changes while it is stepped.
   */
  position() {
    const here = this.current;
    if (!here) return { index: 0, total: 0 };
    // An iteration's steps are recorded one after another: its passes, then its update.
    let first = this.cursor;
    while (first > 0 && this.steps[first - 1].iteration === here.iteration) first -= 1;
    let passes = 0;
    for (let i = first; this.steps[i]?.iteration === here.iteration && this.steps[i].phase !== "update"; i += 1) passes += 1;
    const { params } = this.iterations[here.iteration].trace;
    return { index: this.cursor - first + 1, total: passes + Object.keys(params ?? {}).length };
  }

  /** The iteration record of the current step. */
  iteration() {
    const step = this.current;
    return step ? this.iterations[step.iteration] : null;
  }

  /**
   * What the current step has revealed in its iteration: node ids whose value, and whose
   * gradient, are known by now, and the parameters already updated.
   */
  revealed() {
    const step = this.current;
    const out = { values: new Set(), grads: new Set(), updated: new Set() };
    if (!step) return out;
    const { trace } = this.iterations[step.iteration];
    for (const n of trace.graph.nodes) if (n.role !== "op" && n.role !== "loss") out.values.add(n.id);
    for (let i = this.cursor; i >= 0 && this.steps[i].iteration === step.iteration; i -= 1) {
      const s = this.steps[i];
      if (s.phase === "forward") out.values.add(s.node);
      else if (s.phase === "backward") out.grads.add(s.node);
      else out.updated.add(s.node);
    }
    if (step.phase !== "forward") trace.forward_order.forEach((id) => out.values.add(id));
    return out;
  }
}
