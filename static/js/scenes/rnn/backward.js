/**
 * The "backward through time" walk: a cursor from t = T down to t = 1, stepped by hand or
 * played on a timer (a token cancels a stale loop, as in player.js). No DOM: onChange(t,
 * playing) draws; t = null means "idle, every step shown".
 */

// A whole walk takes about this long, however long the chain (within the per-step limits).
const WALK_MS = 6000;
const STEP_MS = { min: 60, max: 600 };

export function createWalk(onChange) {
  let steps = 1;
  let t = null;
  let token = 0;
  let playing = false;

  const set = (next) => {
    t = next;
    onChange(t, playing);
  };
  const stop = () => {
    token += 1;
    playing = false;
  };
  const delay = () => Math.min(STEP_MS.max, Math.max(STEP_MS.min, WALK_MS / steps));

  /** One step back in time; from idle it starts at t = T. Returns false at t = 1. */
  function step() {
    if (t === null) set(steps);
    else if (t > 1) set(t - 1);
    else return false;
    return true;
  }

  async function loop(mine) {
    while (mine === token) {
      await new Promise((resolve) => setTimeout(resolve, delay()));
      if (mine !== token) return;
      if (!step() || t === 1) {
        stop();
        onChange(t, playing);
      }
    }
  }

  return {
    get t() { return t; },
    get playing() { return playing; },
    /** A new chain length: the walk stands at `at` (idle by default), stopped. */
    reset(newSteps, at = null) {
      stop();
      steps = newSteps;
      set(at);
    },
    /** Stops and stands at t (null: idle), e.g. a position restored from a link. */
    goTo(at) {
      stop();
      set(at);
    },
    step() {
      stop();
      step();
    },
    /** Plays from t = T (or on from where a paused walk stands). */
    play() {
      stop();
      if (t === null || t === 1) set(steps);
      playing = true;
      onChange(t, playing);
      loop(token);
    },
    pause() {
      stop();
      onChange(t, playing);
    },
    destroy: stop,
  };
}
