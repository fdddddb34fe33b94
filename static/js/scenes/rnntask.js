/**
 * The "remember the first input" task trained three ways on the same data: a plain RNN, the
 * same RNN with gradient clipping, an LSTM with the same clipping (preset.variants). Each variant is a session
 * trained in chunks of CHUNK steps, in turn, so the three loss curves grow side by side;
 * beside them the accuracy of the sign read out at t = T and ‖∂f/∂h₁‖ / ‖∂f/∂h_T‖, the
 * share of the gradient that reaches the first step — the one that must carry the memory.
 *
 * The scene is a view of the store: the training done so far is state.scene.segments
 * (rnntask/settings.js), written after each round. The sessions are a cache of it: when the
 * store holds another record (Start again, a link, a restored snapshot), fresh sessions are
 * made and trained by that record, so a reload shows the same curves and numbers.
 */

import { bindScene } from "../store.js";
import { createLossChart } from "./rnntask/chart.js";
import { nextChunk } from "./rnntask/logic.js";
import { addSegment, openingScene, sameSegments, totalSteps } from "./rnntask/settings.js";
import { closeAll, freshVariant, measure, trainVariant } from "./rnntask/variants.js";
import { buildPanel, say, showAll, showNotice, showPlaying } from "./rnntask/view.js";

export function mount(root, ctx) {
  const { api, preset, eta, store } = ctx;
  const { scene, notice } = openingScene(store.state.scene, preset.train_steps, ctx.linkError);
  store.update({ scene });
  const q = buildPanel(root, preset);
  const chart = createLossChart(q("task-chart"), preset.variants.map((v) => v.name), preset.train_steps);
  const task = { api, preset, eta, q, chart, set: bindScene({}, store, ["segments"]),
    variants: [], applied: [], generation: 0, built: Promise.resolve(), playing: false, destroyed: false };
  showNotice(q, notice);
  q("task-train").addEventListener("click", () => { showNotice(q, null); toggle(task); });
  q("task-reset").addEventListener("click", () => { showNotice(q, null); startAgain(task); });
  const unsubscribe = store.subscribe((state) => {
    // Null while the page swaps scenes (a restore clears it before this scene is destroyed).
    if (state.scene && !sameSegments(state.scene.segments, task.applied)) rebuild(task);
  });
  rebuild(task);
  return {
    destroy() {
      unsubscribe();
      task.destroyed = true;
      task.generation += 1;
      task.playing = false;
      chart.destroy();
      closeAll(api, task.variants);
      root.replaceChildren();
    },
  };
}

/** Start again: an empty record. The sessions may be ahead of the store mid-round, so they
 * are made again even when the record is empty already. */
function startAgain(task) {
  stop(task);
  if (task.set.segments.length) task.set.segments = [];
  else rebuild(task);
}

function stop(task) {
  task.playing = false;
  showPlaying(task.q, false);
}

/** Fresh sessions trained by the store's record; an older rebuild or training loop stops. */
function rebuild(task) {
  stop(task);
  const generation = ++task.generation;
  const segments = task.set.segments;
  task.applied = segments;
  // An error of a stale rebuild (its sessions closed under it) is not this record's.
  task.built = build(task, generation, segments)
    .catch((err) => current(task, generation) && say(task.q, task.variants, err.message));
}

const current = (task, generation) => !task.destroyed && task.generation === generation;

async function build(task, generation, segments) {
  const { api, preset } = task;
  closeAll(api, task.variants);
  task.variants = preset.variants.map(freshVariant);
  showAll(task.q, task.chart, task.variants, preset.train_steps);
  for (const v of task.variants) {
    const session = await api.createSession({ network: v.spec.network, x: preset.x, y: preset.y });
    v.id = session.id;
    if (!current(task, generation)) return api.deleteSession(session.id).catch(() => {});
    await measure(api, preset, v);
  }
  if (segments.length) await replay(task, generation, segments);
  if (current(task, generation)) showAll(task.q, task.chart, task.variants, preset.train_steps);
}

/** Each variant trained by the record, one /train per segment, then measured again. */
async function replay(task, generation, segments) {
  for (const v of task.variants) {
    for (const [steps, lr] of segments) {
      await trainVariant(task.api, v, steps, lr);
      if (!current(task, generation)) return;
    }
    await measure(task.api, task.preset, v);
  }
}

function toggle(task) {
  task.playing = !task.playing;
  showPlaying(task.q, task.playing);
  if (task.playing) {
    const generation = task.generation;
    train(task, generation).catch((err) => {
      if (!current(task, generation)) return;
      stop(task);
      say(task.q, task.variants, err.message);
    });
  }
}

/** Round-robin: one chunk per live variant in turn at the page's η, recorded in the store. */
async function train(task, generation) {
  const { preset, api } = task;
  await task.built;
  while (task.playing && current(task, generation)) {
    const steps = nextChunk(totalSteps(task.applied), preset.train_steps);
    const live = task.variants.filter((v) => !v.diverged);
    if (steps === 0 || live.length === 0) break;
    const lr = task.eta.get();
    for (const v of live) {
      await trainVariant(api, v, steps, lr);
      if (!current(task, generation)) return;
    }
    // applied first: the store's change then matches the sessions, and rebuilds nothing.
    task.applied = addSegment(task.applied, steps, lr);
    task.set.segments = task.applied;
    showAll(task.q, task.chart, task.variants, preset.train_steps);
  }
  if (!current(task, generation)) return;
  for (const v of task.variants) await measure(api, preset, v);
  if (!current(task, generation)) return;
  stop(task);
  showAll(task.q, task.chart, task.variants, preset.train_steps);
}
