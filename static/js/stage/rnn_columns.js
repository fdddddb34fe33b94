/**
 * Which time steps of an unrolled RNN get a column of their own on the stage. A long
 * sequence shows its first and last `keep` steps and the steps in focus (the one being
 * stepped and its neighbours); every other run of two or more steps collapses into one
 * column ("t = 6 … 25"). A run of one step is shown: collapsing it would save nothing.
 * Pure (no DOM).
 */

/** Sequences up to this length are always shown whole. */
export const COLLAPSE_ABOVE = 12;
/** Steps kept at each end of a collapsed sequence. */
export const KEEP = 5;

const range = (from, to) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * The columns of steps 1..T, left to right: {t} for a step shown, {from, to} for a run
 * collapsed into one column. `show` lists steps that must be shown (the focus).
 */
export function timeColumns(T, { keep = KEEP, expanded = false, show = [] } = {}) {
  if (expanded || T <= COLLAPSE_ABOVE) return range(1, T).map((t) => ({ t }));
  const visible = new Set([...range(1, keep), ...range(T - keep + 1, T), ...show]);
  const columns = [];
  let run = [];
  const flush = () => {
    if (run.length === 1) columns.push({ t: run[0] });
    else if (run.length > 1) columns.push({ from: run[0], to: run[run.length - 1] });
    run = [];
  };
  for (const t of range(1, T)) {
    if (visible.has(t)) {
      flush();
      columns.push({ t });
    } else {
      run.push(t);
    }
  }
  flush();
  return columns;
}

/** The key of a collapsed column, as the layout names it. */
export const runKey = ({ from, to }) => `steps-${from}-${to}`;
