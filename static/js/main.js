/**
 * Wires the page. One way round: a control's action changes the store (store.js), and every
 * subscriber follows it: the URL, the stage's views (render() draws the Timeline's step at the
 * store's cursor), the open scene. The Run is a cache of the server's answers for the store's
 * preset and step. Nothing here computes numbers: the API does, and the pure modules turn
 * them into formulas, colours and coordinates.
 */

import { createApi } from "./api.js";
import { LECTURE } from "./lecture.js";
import { DEFAULTS, PLAYER } from "./config.js";
import { formulaFor } from "./formulas/index.js";
import { batchOf } from "./formulas/common.js";
import { touched } from "./highlight.js";
import { Player } from "./player.js";
import { Run } from "./run.js";
import { parseProps, serializeProps } from "./state.js";
import { Store, fromSnapshot } from "./store.js";
import { decodeShare, encodeShare } from "./share.js";
import { FormulaView } from "./views/formula.js";
import { GradBarsView } from "./views/gradbars.js";
import { GraphView } from "./views/graph.js";
import { OpGraphView } from "./views/opgraph.js";
import { LossView } from "./views/loss.js";
import { TooltipView } from "./views/tooltip.js";
import { ClaimView } from "./views/claim.js";
import { bindControls, fillExamples, fillPresets, syncControls } from "./views/controls.js";
import { mountScene } from "./scenes/index.js";
import { exportNumpy, exportPng, exportSvg, exportTrace } from "./export.js";
import { bindPresenter, copyLink, updateCounter } from "./presenter.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
// How many iterations a shared link's step may replay (each is a forward, a backward and
// an update request): ?step=100000 must not cost thousands of requests.
const LINK_ITERATIONS = 10;

const api = createApi();
const store = new Store(parseProps(window.location.search));
const onHover = (target, anchor) => hover(target, anchor);
const neuronView = new GraphView($("graph"), { onHover });
const opView = new OpGraphView($("graph"), { onHover });
const views = {
  graph: neuronView,
  formula: new FormulaView($("formula")),
  bars: new GradBarsView($("grad-bars")),
  loss: new LossView($("loss"), $("loss-history")),
  tooltip: new TooltipView($("tooltip")),
};
const claim = new ClaimView($("claim"));
// The page's one learning rate η (the store's lr, the toolbar's `lr` field): every scene
// that trains reads and sets it here, and hears when it changes.
const eta = {
  get: () => store.state.lr,
  set: (lr) => { $("lr").value = String(lr); actions.lr(lr); },
  onChange: (listener) => store.subscribe((state, previous) => state.lr !== previous.lr && listener(state.lr)),
};
let run = null;
let presetList = [];
let scene = null; // the preset's own panel (scenes/index.js), if it has one
// Whether η was chosen (by a link or by hand): only then does the URL carry it, and a new
// scene keeps it instead of taking the preset's own.
let lrChosen = new URLSearchParams(window.location.search).has("lr");

const player = new Player(() => advance(), {
  speed: store.state.speed,
  onChange: () => syncControls(controlState()),
});

function controlState() {
  return { props: store.state, run, playing: player.playing };
}

/** Everything the views need to draw the current step. */
function currentView() {
  const { timeline } = run;
  const step = timeline.current;
  const iteration = timeline.iteration();
  const revealed = timeline.revealed();
  const m = batchOf(iteration.trace);
  const k = Math.min(store.state.k, m) - 1;
  const updated = step.phase === "update" ? iteration.update.params : {};
  const paramsShown = { ...iteration.trace.params };
  for (const name of revealed.updated) paramsShown[name] = updated[name];
  return { step, iteration, trace: iteration.trace, revealed, k, paramsShown, hide: store.state.hide === 1,
    colourBy: step.phase === "backward" ? "grad" : "value", ...touched(step, iteration.trace) };
}

function render() {
  if (!run) return;
  const view = currentView();
  const formula = formulaFor(view.step, view.iteration, view.k);
  const { timeline } = run;
  const position = { ...timeline.position(), cursor: timeline.cursor };
  views.formula.update(view.step, formula, position);
  $("step-index").textContent = `${position.index} / ${position.total}`;
  views.graph.update(view);
  views.bars.update(view.trace, view.revealed.grads);
  views.loss.update(view, run.lossHistory());
  views.tooltip.render(view);
  $("phase").textContent = view.step.phase;
  $("phase").dataset.phase = view.step.phase;
  $("legend-colour").textContent = view.colourBy === "grad"
    ? "Units coloured by their gradient ∂f/∂(·)" : "Units coloured by their value";
  $("narration").textContent = formula.narration;
  scene?.update?.(view);
  syncControls(controlState());
  store.update({ step: timeline.cursor });
}

/** MLPs are drawn neuron by neuron unless g=ops; any other graph op by op. */
let drawnShape = null; // the nodes and shapes last drawn
const shapeOf = (trace) => JSON.stringify(trace.graph.nodes.map((n) => [n.id, n.shape]));

function drawGraph(trace) {
  drawnShape = shapeOf(trace);
  const neurons = trace.kind === "mlp" && store.state.g !== "ops";
  views.graph = neurons ? neuronView : opView;
  if (neurons) opView.detach();
  views.graph.build(trace);
}

function hover(target, anchor) {
  if (!run || !target) return views.tooltip.show(null);
  return views.tooltip.show(target, anchor, currentView());
}

function showError(err) {
  player.pause();
  $("error").textContent = err.message;
  $("error").hidden = false;
}

async function advance() {
  if (!run) return false;
  // A scene training the stage's network pauses first: one request at a time per session.
  await scene?.pause?.();
  try {
    const moved = await run.advance(store.state.lr);
    render();
    return moved;
  } catch (err) {
    showError(err);
    return false;
  }
}

function back() {
  if (run?.timeline.back()) render();
}

/** End (Shift+→): to the end of this pass; at its end already, through the next pass (one
 * request at most: the next update or iteration). */
async function toPassEnd() {
  if (!run) return;
  player.pause();
  if (run.timeline.toPassEnd() || await advance()) run.timeline.toPassEnd();
  render();
}

function toPassStart() {
  player.pause();
  if (run?.timeline.toPassStart()) render();
}

/**
 * The URL follows the store: its props at once, and the scene's settings as the `s=` setup
 * (share.js) once encoded, the latest state winning. link.written() resolves to the `s=`
 * text of the state the URL shows now (null: none, or too long for a link).
 */
const link = { writes: 0, setup: null, done: Promise.resolve(null), written: () => link.done };

function urlOf(state, setup) {
  const query = new URLSearchParams(serializeProps({ ...state, lr: lrChosen ? state.lr : undefined }));
  if (setup) query.set("s", setup);
  const text = query.toString();
  return window.location.pathname + (text ? `?${text}` : "");
}

function writeUrl(state, previous) {
  window.history.replaceState(null, "", urlOf(state, link.setup));
  if (previous && state.scene === previous.scene) return;
  const mine = ++link.writes;
  link.done = (state.scene ? encodeShare(state.scene) : Promise.resolve(null)).then((setup) => {
    if (mine !== link.writes) return link.done;
    link.setup = setup;
    window.history.replaceState(null, "", urlOf(store.state, setup));
    return setup;
  });
}

/** A link's `s=` setup, read once for the first scene: {setup} or {error} (or {} if none). */
async function linkSetup() {
  const text = new URLSearchParams(window.location.search).get("s");
  return text ? decodeShare(text) : {};
}
let firstSetup = linkSetup();

store.subscribe((state, previous) => {
  writeUrl(state, previous);
  if (state.speed !== previous.speed) player.speed = state.speed;
  // Same trace, same step: only the drawing changes.
  if (state.g !== previous.g && run) drawGraph(run.timeline.iterations[0].trace);
  if (["k", "g", "hide"].some((key) => state[key] !== previous[key])) render();
});

async function loadPreset(name) {
  player.pause();
  if (run) $("error").hidden = true;
  views.formula.message("Loading…");
  const previous = run;
  run = null;
  try {
    run = await Run.start(api, name);
  } catch (err) {
    showError(err);
    return;
  }
  previous?.close();
  scene?.destroy?.();
  scene = null;
  // The first scene opens with a link's setup; a scene opened later starts from its own.
  const shared = await firstSetup;
  firstSetup = Promise.resolve({});
  store.update({ preset: name, scene: shared.setup ?? null,
    lr: lrChosen ? store.state.lr : run.preset.lr ?? store.state.lr });
  updateCounter(presetList, name);
  $("preset-title").textContent = run.preset.title;
  document.getElementById("preset-description").textContent = run.preset.description;
  document.getElementById("preset-look").textContent = run.preset.look_at ? `Look at: ${run.preset.look_at}` : "";
  claim.show(run.preset);
  const firstTrace = run.timeline.iterations[0].trace;
  drawGraph(firstTrace);
  store.update({ k: fillExamples(batchOf(firstTrace), store.state.k) });
  await replayTo(restoreStep);
  restoreStep = 0;
  try {
    const stage = { follow: followSession };
    const linkError = shared.error ?? null;
    scene = await mountScene($("scene"), { api, preset: run.preset, run, render, store, link, linkError, claim, eta, stage });
  } catch (err) {
    showError(err);
  }
  render();
  document.body.dataset.preset = name; // loaded: stage and panel (a hook for tests)
}

/**
 * The stage follows a scene's network (the training panel's session): it steps that
 * network from its current parameters, and hears back nothing but through the Run's
 * updates. Drawn again only when the architecture changed.
 */
async function followSession(session, { onUpdate, rebuild, atLoss }) {
  const next = await Run.follow(api, run.preset, session, { rebuild, atLoss });
  const previous = run;
  run = next;
  previous?.close();
  const trace = next.timeline.iterations[0].trace;
  if (shapeOf(trace) !== drawnShape) {
    drawGraph(trace);
    store.update({ k: fillExamples(batchOf(trace), store.state.k) });
  }
  next.onUpdate(onUpdate);
  render();
  return next;
}

// A shared link's step is replayed once, on the first load; Reset and the picker start at 0.
let restoreStep = store.state.step;

/** Replays the recorded run up to `step`: updates are deterministic, so the numbers match.
 * A link replays at most LINK_ITERATIONS iterations (three requests each): a step beyond
 * them opens at the last step they reach, and says so. */
async function replayTo(step) {
  try {
    while (run.timeline.cursor < step && run.timeline.current.iteration < LINK_ITERATIONS
      && await run.advance(store.state.lr));
    if (run.timeline.current.iteration >= LINK_ITERATIONS) {
      while (run.timeline.current.iteration >= LINK_ITERATIONS) run.timeline.back();
      $("error").textContent = `This link asks for step ${step + 1}; a link replays at most ${LINK_ITERATIONS} iterations, so it opens at step ${run.timeline.cursor + 1}.`;
      $("error").hidden = false;
    }
  } catch (err) {
    showError(err);
  }
}

const actions = {
  forward: () => advance(),
  back: () => back(),
  passEnd: () => toPassEnd(),
  passStart: () => toPassStart(),
  play: () => player.toggle(),
  reset: () => loadPreset(store.state.preset),
  preset: (name) => loadPreset(name),
  speed: (speed) => store.update({ speed }),
  lr: (lr) => { lrChosen = true; store.update({ lr }); },
  example: (k) => store.update({ k }),
  granularity: (g) => store.update({ g }),
  hide: (on) => store.update({ hide: on ? 1 : 0 }),
  present: (on) => store.update({ present: on ? 1 : 0 }),
  scene: (offset) => {
    const names = [...document.querySelectorAll('[data-testid="preset-select"] option')].map((o) => o.value);
    const at = names.indexOf(store.state.preset) + offset;
    if (at >= 0 && at < names.length && names[at] !== store.state.preset) loadPreset(names[at]);
  },
  // A lecture scene (CLASSROOM.md) opens at its first preset.
  lecture: (index) => {
    const name = LECTURE[index]?.presets[0];
    if (name && name !== store.state.preset) loadPreset(name);
  },
  copyLink: () => copyLink(window.location.href),
};

/**
 * Opens the page at a snapshot of the store (store.js): its scene, step, η and settings, as a
 * share link or a reload would. The hook a later classroom uses to follow a teacher's page;
 * tests read the state through snapshot().
 */
async function restoreSnapshot(snapshot) {
  const state = fromSnapshot(snapshot);
  lrChosen = true;
  restoreStep = state.step;
  firstSetup = Promise.resolve(state.scene ? { setup: state.scene } : {});
  // The open scene goes first: it must not hear its settings cleared while it is mounted.
  scene?.destroy?.();
  scene = null;
  store.update({ ...state, scene: null });
  syncToolbar();
  await loadPreset(state.preset);
}

/** The toolbar's fields that only a restore changes behind the user's back. */
function syncToolbar() {
  $("speed").value = String(store.state.speed);
  $("hide-numbers").checked = store.state.hide === 1;
}

window.backpropViz = Object.freeze({ snapshot: () => store.snapshot(), restore: restoreSnapshot });

// A reload or a closed tab deletes the page's sessions as it goes (the URL rebuilds what a
// reload needs), so reloads leave none behind. A page the browser brings back from its
// back/forward cache has lost them, so it loads again from its URL.
window.addEventListener("pagehide", () => api.releaseSessions());
window.addEventListener("pageshow", (event) => { if (event.persisted) window.location.reload(); });

async function main() {
  bindControls(actions, PLAYER.speeds, store);
  bindPresenter(actions, store);
  $("export-svg").addEventListener("click", () => run && exportSvg($("graph"), store.state.preset));
  $("export-png").addEventListener("click", () => run && exportPng($("graph"), store.state.preset).catch(showError));
  $("export-trace").addEventListener("click", () => run && exportTrace(run));
  $("export-numpy").addEventListener("click", () => run
    && exportNumpy(api, run, currentView().trace, currentView().trace.params, store.state.lr).catch(showError));
  let presets;
  try {
    presets = await api.listPresets();
  } catch (err) {
    showError(err);
    return;
  }
  if (!presets.some((p) => p.name === store.state.preset)) {
    // A mistyped or outdated link still opens a scene, and says which name was unknown.
    const fallback = presets.some((p) => p.name === DEFAULTS.preset) ? DEFAULTS.preset : presets[0].name;
    $("error").textContent = `Unknown scene "${store.state.preset}"; showing "${fallback}".`;
    $("error").hidden = false;
    store.update({ preset: fallback });
  }
  presetList = presets;
  fillPresets(presets, store.state.preset);
  await loadPreset(store.state.preset);
  document.body.dataset.ready = "true";
}

main();
