/**
 * The network the training scene trains: its session on the server and the record of its
 * training (steps, losses, the segments a link replays). API calls and state changes only,
 * no DOM (tested with node --test and a fake api). `s` is the scene's one state object.
 */

import { sessionBody } from "./arch.js";
import { divergenceStep } from "./diverge.js";
import { addSegment } from "./setup.js";

// Steps per /train request when a run is replayed (well under the server's cap).
export const REPLAY_CHUNK = 5000;
const CLIP = { mode: "norm", max_norm: 1.0, norm_type: 2 };

const plottable = (f) => (Number.isFinite(f) && f > 0 ? f : null);

export class TrainedNetwork {
  constructor(api, preset, s, { onRebuilt = () => {} } = {}) {
    this.api = api;
    this.preset = preset;
    this.s = s;
    this.onRebuilt = onRebuilt; // told the new session after a lost one was made again
  }

  body() {
    return sessionBody(this.preset.network, this.s, this.s.data);
  }

  /** A new session for the current setup, with no training yet; the old one is deleted. */
  async create() {
    const { s } = this;
    const body = this.body();
    const session = await this.api.createSession(body);
    if (s.session) this.api.deleteSession(s.session.id).catch(() => null);
    Object.assign(s, { session, losses: [], steps: [], step: 0, segments: [], generation: s.generation + 1 });
    return body.network;
  }

  /** call(session id); when the server no longer knows the session (404), it is made again
   * and the call repeated, so a restart or an expiry never shows as a raw error. */
  async onSession(call) {
    try {
      return await call(this.s.session.id);
    } catch (err) {
      if (err.status !== 404) throw err;
      return call((await this.rebuildLost()).id);
    }
  }

  /** The same network and data in a new session, with this run's training replayed (the
   * record is deterministic: the same weights, step and loss). */
  async rebuildLost() {
    const session = await this.api.createSession(this.body());
    for (const [steps, lr, batch, clip] of this.s.segments) {
      for (let done = 0; done < steps; done += REPLAY_CHUNK) {
        const how = { lr, batch, clip: clip === 1 };
        const res = await this.api.train(session.id, this.trainBody(Math.min(REPLAY_CHUNK, steps - done), how));
        if (res.divergence) break;
      }
    }
    this.s.session = session;
    this.onRebuilt(session);
    return session;
  }

  trainBody(steps, how) {
    const body = { steps, lr: how.lr, seed: this.s.seed };
    if (how.batch > 0) body.batch_size = how.batch;
    if (how.clip) body.clip = CLIP;
    return body;
  }

  /** `steps` updates at `how` = {lr, batch, clip}, recorded; null when an edit made a new
   * session meanwhile (the answer belongs to the old one). */
  async train(steps, how) {
    const { s } = this;
    const generation = s.generation;
    const res = await this.onSession((id) => this.api.train(id, this.trainBody(steps, how)));
    if (s.generation !== generation) return null;
    // Steps attempted, not kept: a replay must reach the step that diverged (the server
    // drops that step's update, so res.step stops one short of it).
    s.segments = addSegment(s.segments, res.loss_history.length, how.lr, how.batch, how.clip);
    if (res.divergence) res.divergence = { ...res.divergence, absolute: divergenceStep(res, s.step) };
    // The curve ends at the last finite loss: nothing after a divergence is plotted.
    const finite = res.divergence ? res.divergence.absolute - s.step : res.loss_history.length;
    res.loss_history.slice(0, finite).forEach((f, i) => {
      s.steps.push(s.step + i);
      s.losses.push(plottable(f));
    });
    s.step = res.step;
    return res;
  }

  /** An update stepped on the stage (full batch, the page's η, no clipping): one more step
   * of this run, recorded so that a link replays it too. */
  recordStageStep(update) {
    const { s } = this;
    s.steps.push(s.step);
    s.losses.push(plottable(update.loss));
    s.segments = addSegment(s.segments, 1, update.lr, 0, false);
    s.step = update.step;
  }

  predict(points) {
    return this.onSession((id) => this.api.predict(id, { x: points }));
  }
}
