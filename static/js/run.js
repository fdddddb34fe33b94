/**
 * One preset's run against the API: creates a session, records each iteration's forward
 * and backward traces and each update in a Timeline, and fetches what the next step needs.
 * No DOM. Concurrent calls to advance() are merged (a held-down → key must not fire
 * several /step requests).
 */

import { Timeline } from "./timeline.js";

export class Run {
  constructor(api, preset, session, { owned = true } = {}) {
    this.api = api;
    this.preset = preset;
    this.session = session;
    this.owned = owned; // a session the Run made is deleted with it; a followed one is not
    this.timeline = new Timeline();
    this.busy = null;
    this.updateListeners = new Set();
  }

  /**
   * A run on a session a scene owns (the training panel's network): the stage steps that
   * very network, so stage and panel never disagree. Opens at the loss of its current
   * parameters, the number the panel shows.
   */
  static async follow(api, preset, session) {
    const run = new Run(api, preset, session, { owned: false });
    await run.traceIteration();
    run.timeline.cursor = run.timeline.steps.findIndex((s) => s.kind === "loss");
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
    const forward = await this.api.forward(this.session.id);
    const backward = await this.api.backward(this.session.id);
    this.timeline.addIteration({ ...forward, ...backward, kind: forward.kind, network: this.session.network });
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
      const update = await this.api.step(this.session.id, lr);
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
