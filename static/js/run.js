/**
 * One preset's run against the API: creates a session, records each iteration's forward
 * and backward traces and each update in a Timeline, and fetches what the next step needs.
 * No DOM. Concurrent calls to advance() are merged (a held-down → key must not fire
 * several /step requests).
 */

import { Timeline } from "./timeline.js";

/** [steps, η] for each run of consecutive recorded updates at the same η. */
export function updateRuns(iterations) {
  const runs = [];
  for (const { update } of iterations) {
    if (!update) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === update.lr) last[0] += 1;
    else runs.push([1, update.lr]);
  }
  return runs;
}

export class Run {
  constructor(api, preset, session, { owned = true, rebuild = null } = {}) {
    this.api = api;
    this.preset = preset;
    this.session = session;
    this.owned = owned; // a session the Run made is deleted with it; a followed one is not
    // When the server no longer knows the session (a restart without its store, expiry),
    // it is made again in the same state: by whoever owns it, or from the preset and the
    // updates recorded here.
    this.rebuild = rebuild ?? (() => this.rebuildFromPreset());
    this.timeline = new Timeline();
    this.busy = null;
    this.updateListeners = new Set();
  }

  /**
   * A run on a session a scene owns (the training panel's network): the stage steps that
   * very network, so stage and panel never disagree. Opens at the first step, or with
   * `atLoss` at the loss of the current parameters (the number the panel shows).
   */
  static async follow(api, preset, session, { rebuild, atLoss = false } = {}) {
    const run = new Run(api, preset, session, { owned: false, rebuild });
    await run.traceIteration();
    if (atLoss) run.timeline.cursor = run.timeline.steps.findIndex((s) => s.kind === "loss");
    return run;
  }

  /** Hears every update this run applies to its session (a scene sharing the session
   * counts it as one more training step); returns the function that stops it. */
  onUpdate(listener) {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  /** Loads preset `name`: its description, a fresh session and the first traced iteration. */
  static async start(api, name) {
    const preset = await api.getPreset(name);
    const session = await api.createSession({ preset: name });
    const run = new Run(api, preset, session);
    await run.traceIteration();
    return run;
  }

  async traceIteration() {
    const [forward, backward] = await this.withSession((id) => this.api.trace(id));
    this.timeline.addIteration({ ...forward, ...backward, kind: forward.kind, network: this.session.network });
  }

  /** call(session id); on a 404 the session is rebuilt once and the call made again. */
  async withSession(call) {
    try {
      return await call(this.session.id);
    } catch (err) {
      if (err.status !== 404) throw err;
      this.session = await this.rebuild();
      return call(this.session.id);
    }
  }

  /** The preset's session again, with the updates recorded so far (one /train per run of
   * equal η: the same updates as the /step calls they replace). */
  async rebuildFromPreset() {
    const session = await this.api.createSession({ preset: this.preset.name });
    for (const [steps, lr] of updateRuns(this.timeline.iterations)) {
      await this.api.train(session.id, { steps, lr });
    }
    return session;
  }

  /** Moves one step forward, fetching the update or the next iteration when needed. */
  advance(lr) {
    if (this.busy) return this.busy;
    if (this.timeline.next()) return Promise.resolve(true);
    this.busy = this.fetchNext(lr).finally(() => {
      this.busy = null;
    });
    return this.busy;
  }

  async fetchNext(lr) {
    const pending = this.timeline.pending();
    if (pending === "update") {
      const update = await this.withSession((id) => this.api.step(id, lr));
      this.timeline.addUpdate(update);
      this.updateListeners.forEach((listener) => listener(update));
    }
    else if (pending === "iteration") await this.traceIteration();
    return this.timeline.next();
  }

  /** Loss of every traced iteration (before its update), then the last update's result. */
  lossHistory() {
    const out = this.timeline.iterations.map((it) => it.trace.loss);
    const last = this.timeline.iterations[this.timeline.iterations.length - 1];
    if (last?.update) out.push(last.update.loss_after);
    return out;
  }

  /** Frees the server-side session (best effort: it also expires on its own). */
  close() {
    this.updateListeners.clear();
    if (!this.owned) return Promise.resolve(null);
    return this.api.deleteSession(this.session.id).catch(() => null);
  }
}
