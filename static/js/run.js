/**
 * One preset's run against the API: creates a session, records each iteration's forward
 * and backward traces and each update in a Timeline, and fetches what the next step needs.
 * No DOM. Concurrent calls to advance() are merged (a held-down → key must not fire
 * several /step requests).
 */

import { Timeline } from "./timeline.js";

export class Run {
  constructor(api, preset, session) {
    this.api = api;
    this.preset = preset;
    this.session = session;
    this.timeline = new Timeline();
    this.busy = null;
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
    if (pending === "update") this.timeline.addUpdate(await this.api.step(this.session.id, lr));
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
    return this.api.deleteSession(this.session.id).catch(() => null);
  }
}
