/**
 * The "backward through time" walk: a cursor from t = T down to t = 1, stepped by hand or
 * played on a timer (a token cancels a stale loop, as in player.js). No DOM: onChange(t,
 * playing) draws; t = null means "idle, every step shown".
 */

// A whole walk takes about this long, however long the chain (within the per-step limits).
const WALK_MS = 6000;
const STEP_MS = { min: 60, max: 600 };

class Walk {
  constructor(onChange) {
    this.onChange = onChange;
    this.steps = 1;
    this.t = null;
    this.token = 0;
    this.playing = false;
  }

  set(next) {
    this.t = next;
    this.onChange(this.t, this.playing);
  }

  stop() {
    this.token += 1;
    this.playing = false;
  }

  delay() {
    return Math.min(STEP_MS.max, Math.max(STEP_MS.min, WALK_MS / this.steps));
  }

  /** One step back in time; from idle it starts at t = T. Returns false at t = 1. */
  back() {
    if (this.t === null) this.set(this.steps);
    else if (this.t > 1) this.set(this.t - 1);
    else return false;
    return true;
  }

  async loop(mine) {
    while (mine === this.token) {
      await new Promise((resolve) => setTimeout(resolve, this.delay()));
      if (mine !== this.token) return;
      if (!this.back() || this.t === 1) {
        this.stop();
        this.onChange(this.t, this.playing);
      }
    }
  }

  /** A new chain length: the walk stands at `at` (idle by default), stopped. */
  reset(steps, at = null) {
    this.stop();
    this.steps = steps;
    this.set(at);
  }

  /** Stops and stands at t (null: idle), e.g. a position restored from a link. */
  goTo(at) {
    this.stop();
    this.set(at);
  }

  step() {
    this.stop();
    this.back();
  }

  /** Plays from t = T (or on from where a paused walk stands). */
  play() {
    this.stop();
    if (this.t === null || this.t === 1) this.set(this.steps);
    this.playing = true;
    this.onChange(this.t, this.playing);
    this.loop(this.token);
  }

  pause() {
    this.stop();
    this.onChange(this.t, this.playing);
  }

  destroy() {
    this.stop();
  }
}

/** The walk, drawn by onChange(t, playing). */
export function createWalk(onChange) {
  return new Walk(onChange);
}
