/**
 * The toolbar: preset picker, step buttons, play/pause, speed, learning rate η and the
 * example selector. bindControls attaches handlers (and the keyboard: → ← space) once;
 * syncControls reflects the state (button labels, disabled states) after each render.
 */

import { lectureGroups } from "../lecture.js";
import { refuse } from "./refusal.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement
    || target instanceof HTMLTextAreaElement;
}

function bindKeyboard(actions) {
  // A select keeps focus after a change, and would take → ← for itself: give it back.
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLSelectElement) event.target.blur();
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    const handlers = { ArrowRight: actions.forward, ArrowLeft: actions.back, " ": actions.play,
      End: actions.passEnd, Home: actions.passStart };
    // Shift+→ / Shift+←: the same jumps, for keyboards without Home and End.
    const shifted = { ArrowRight: actions.passEnd, ArrowLeft: actions.passStart };
    const handler = (event.shiftKey && shifted[event.key]) || handlers[event.key];
    if (!handler) return;
    // Space on a focused button would also click it: handle it once, here.
    event.preventDefault();
    handler();
  });
}

export function bindControls(actions, speeds, store) {
  $("step-forward").addEventListener("click", actions.forward);
  $("step-back").addEventListener("click", actions.back);
  $("play").addEventListener("click", actions.play);
  $("reset").addEventListener("click", actions.reset);
  $("preset-select").addEventListener("change", (e) => actions.preset(e.target.value));
  const speed = $("speed");
  speed.replaceChildren(...speeds.map((s) => new Option(`${s} step${s === 1 ? "" : "s"}/s`, String(s))));
  speed.value = String(store.state.speed);
  speed.addEventListener("change", (e) => actions.speed(Number(e.target.value)));
  const lr = $("lr");
  lr.addEventListener("change", (e) => {
    const v = Number(e.target.value);
    if (Number.isFinite(v) && v > 0) actions.lr(v);
    else refuse(lr, store.state.lr, `η must be a positive number (not ${e.target.value.trim() || "an empty field"}); it stays ${store.state.lr}.`);
  });
  $("example").addEventListener("change", (e) => actions.example(Number(e.target.value)));
  $("granularity").addEventListener("change", (e) => actions.granularity(e.target.value));
  const hide = $("hide-numbers");
  hide.checked = store.state.hide === 1;
  hide.addEventListener("change", (e) => actions.hide(e.target.checked));
  bindKeyboard(actions);
}

export function fillPresets(presets, selected) {
  const select = $("preset-select");
  // Grouped under the ten lecture scenes, numbered by the digit key that opens each.
  select.replaceChildren(...lectureGroups(presets).map(({ label, presets: members }) => {
    const group = Object.assign(document.createElement("optgroup"), { label });
    group.append(...members.map((p) => new Option(p.title, p.name)));
    return group;
  }));
  select.value = selected;
}

/** Fills the example picker for a batch of `m`; returns the example `k` clamped to it. */
export function fillExamples(m, k) {
  const select = $("example");
  select.replaceChildren(...Array.from({ length: m }, (_, i) => new Option(`${i + 1} of ${m}`, String(i + 1))));
  const shown = Math.min(k, m);
  select.value = String(shown);
  select.disabled = m === 1;
  return shown;
}

export function syncControls({ props, run, playing }) {
  const play = $("play");
  play.textContent = playing ? "⏸ Pause" : "▶ Play";
  play.setAttribute("aria-pressed", String(playing));
  $("step-back").disabled = !run || run.timeline.atStart;
  $("preset-select").value = props.preset;
  $("granularity").value = props.g;
  // Only an MLP has neurons to draw; any other graph is drawn op by op.
  $("granularity").disabled = !run || run.timeline.iterations[0].trace.kind !== "mlp";
  // Not while someone types in it: a redraw (the stage following training) would undo the typing.
  if (document.activeElement !== $("lr")) $("lr").value = String(props.lr);
}
