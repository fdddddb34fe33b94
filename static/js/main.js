/**
 * Wires the page: controls change state, the URL follows, then render() redraws every view
 * from the Timeline's current step. Nothing here computes numbers: the API does, and the
 * pure modules turn them into formulas, colours and coordinates.
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
const props = parseProps(window.location.search);
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
// The page's one learning rate η (the toolbar's `lr` field): every scene that trains reads
// and sets it here, and hears when it changes.
const etaListeners = new Set();
const eta = {
  get: () => props.lr,
  set: (lr) => { $("lr").value = String(lr); actions.lr(lr); },
  onChange: (listener) => { etaListeners.add(listener); return () => etaListeners.delete(listener); },
};
let run = null;
let presetList = [];
let scene = null; // the preset's own panel (scenes/index.js), if it has one
let lrFromUrl = new URLSearchParams(window.location.search).has("lr");

const player = new Player(() => advance(), {
  speed: props.speed,
  onChange: () => syncControls(controlState()),
});

function controlState() {
  return { props, run, playing: player.playing };
}

/** Everything the views need to draw the current step. */
function currentView() {
  const { timeline } = run;
  const step = timeline.current;
  const iteration = timeline.iteration();
  const revealed = timeline.revealed();
  const m = batchOf(iteration.trace);
  const k = Math.min(props.k, m) - 1;
  const updated = step.phase === "update" ? iteration.update.params : {};
  const paramsShown = { ...iteration.trace.params };
  for (const name of revealed.updated) paramsShown[name] = updated[name];
  return { step, iteration, trace: iteration.trace, revealed, k, paramsShown,
    colourBy: step.phase === "backward" ? "grad" : "value", ...touched(step, iteration.trace) };
}

function render() {
  if (!run) return;
  const view = currentView();
  const formula = formulaFor(view.step, view.iteration, view.k);
  const { timeline } = run;
  const position = { index: timeline.cursor + 1, total: timeline.steps.length };
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
  if (props.step !== timeline.cursor) {
    props.step = timeline.cursor;
    updateUrl();
  }
}

/** MLPs are drawn neuron by neuron unless g=ops; any other graph op by op. */
let drawnShape = null; // the nodes and shapes last drawn
const shapeOf = (trace) => JSON.stringify(trace.graph.nodes.map((n) => [n.id, n.shape]));

function drawGraph(trace) {
  drawnShape = shapeOf(trace);
  const neurons = trace.kind === "mlp" && props.g !== "ops";
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
    const moved = await run.advance(props.lr);
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

function updateUrl() {
  const query = new URLSearchParams(serializeProps({ ...props, lr: lrFromUrl ? props.lr : undefined }));
  // A scene's edited setup (share.js); it belongs to that scene, so it goes with it.
  if (sharedSetup) query.set("s", sharedSetup);
  const text = query.toString();
  window.history.replaceState(null, "", window.location.pathname + (text ? `?${text}` : ""));
}

// The `s=` setup of a link is handed to the first scene mounted; later ones start clean.
let sharedSetup = new URLSearchParams(window.location.search).get("s");
const share = {
  initial: sharedSetup,
  set(text) { sharedSetup = text; updateUrl(); },
};

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
  if (previous) sharedSetup = share.initial = null;
  props.preset = name;
  updateCounter(presetList, name);
  if (!lrFromUrl) props.lr = run.preset.lr ?? props.lr;
  $("preset-title").textContent = run.preset.title;
  document.getElementById("preset-description").textContent = run.preset.description;
  document.getElementById("preset-look").textContent = run.preset.look_at ? `Look at: ${run.preset.look_at}` : "";
  claim.show(run.preset);
  const firstTrace = run.timeline.iterations[0].trace;
  drawGraph(firstTrace);
  fillExamples(batchOf(firstTrace), props);
  await replayTo(restoreStep);
  restoreStep = 0;
  updateUrl();
  try {
    const stage = { follow: followSession };
    scene = await mountScene($("scene"), { api, preset: run.preset, run, render, share, claim, eta, stage });
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
    fillExamples(batchOf(trace), props);
  }
  next.onUpdate(onUpdate);
  render();
  return next;
}

// A shared link's step is replayed once, on the first load; Reset and the picker start at 0.
let restoreStep = props.step;

/** Replays the recorded run up to `step`: updates are deterministic, so the numbers match.
 * A link replays at most LINK_ITERATIONS iterations (three requests each): a step beyond
 * them opens at the last step they reach, and says so. */
async function replayTo(step) {
  try {
    while (run.timeline.cursor < step && run.timeline.current.iteration < LINK_ITERATIONS
      && await run.advance(props.lr));
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
  reset: () => loadPreset(props.preset),
  preset: (name) => loadPreset(name),
  speed: (speed) => { props.speed = speed; player.speed = speed; updateUrl(); },
  lr: (lr) => { props.lr = lr; lrFromUrl = true; updateUrl(); etaListeners.forEach((f) => f(lr)); },
  example: (k) => { props.k = k; updateUrl(); render(); },
  // Same trace, same step: only the drawing changes.
  granularity: (g) => {
    props.g = g;
    updateUrl();
    if (run) { drawGraph(run.timeline.iterations[0].trace); render(); }
  },
  present: (on) => { props.present = on ? 1 : 0; updateUrl(); },
  scene: (offset) => {
    const names = [...document.querySelectorAll('[data-testid="preset-select"] option')].map((o) => o.value);
    const at = names.indexOf(props.preset) + offset;
    if (at >= 0 && at < names.length && names[at] !== props.preset) loadPreset(names[at]);
  },
  // A lecture scene (CLASSROOM.md) opens at its first preset.
  lecture: (index) => {
    const name = LECTURE[index]?.presets[0];
    if (name && name !== props.preset) loadPreset(name);
  },
  copyLink: () => copyLink(window.location.href),
};

async function main() {
  bindControls(actions, PLAYER.speeds, props);
  bindPresenter(actions, props);
  $("export-svg").addEventListener("click", () => run && exportSvg($("graph"), props.preset));
  $("export-png").addEventListener("click", () => run && exportPng($("graph"), props.preset).catch(showError));
  $("export-trace").addEventListener("click", () => run && exportTrace(run));
  $("export-numpy").addEventListener("click", () => run
    && exportNumpy(api, run, currentView().trace, currentView().trace.params, props.lr).catch(showError));
  let presets;
  try {
    presets = await api.listPresets();
  } catch (err) {
    showError(err);
    return;
  }
  if (!presets.some((p) => p.name === props.preset)) {
    // A mistyped or outdated link still opens a scene, and says which name was unknown.
    const fallback = presets.some((p) => p.name === DEFAULTS.preset) ? DEFAULTS.preset : presets[0].name;
    $("error").textContent = `Unknown scene "${props.preset}"; showing "${fallback}".`;
    $("error").hidden = false;
    props.preset = fallback;
  }
  presetList = presets;
  fillPresets(presets, props.preset);
  await loadPreset(props.preset);
  document.body.dataset.ready = "true";
}

main();
