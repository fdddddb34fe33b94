/**
 * Presenter mode for a projected lecture: large type and high contrast (CSS on
 * body.presenting), controls that appear only when hovered or focused, and keys to move
 * between scenes (1–9, 0 = the ten lecture scenes, / = the first; PageDown/PageUp or n/b =
 * next/previous preset; p toggles presenter mode, Esc leaves it).
 * Also the "Copy link" button's clipboard logic, with a selectable text field as fallback.
 */

import { sceneOfKey } from "./lecture.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement
    || target instanceof HTMLTextAreaElement;
}

function setPresenting(on, actions) {
  document.body.classList.toggle("presenting", on);
  const button = $("present-toggle");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "Exit presenter" : "Presenter mode";
  actions.present(on);
}

/** The key's move: {lecture: scene index} or {offset: ±1 preset}, or null when not ours. */
function sceneMove(key) {
  const scene = key === "/" ? 0 : sceneOfKey(key);
  if (scene !== null) return { lecture: scene };
  if (key === "PageDown" || key === "n") return { offset: 1 };
  if (key === "PageUp" || key === "b") return { offset: -1 };
  return null;
}

export function bindPresenter(actions, props) {
  const toggle = () => setPresenting(!document.body.classList.contains("presenting"), actions);
  $("present-toggle").addEventListener("click", toggle);
  $("copy-link").addEventListener("click", actions.copyLink);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key === "p") return toggle();
    if (event.key === "Escape" && document.body.classList.contains("presenting")) {
      return setPresenting(false, actions);
    }
    const move = sceneMove(event.key);
    if (!move) return;
    event.preventDefault();
    if (move.lecture !== undefined) actions.lecture(move.lecture);
    else actions.scene(move.offset);
  });
  setPresenting(props.present === 1, actions);
}

/** "3 / 17 · The general case": where this scene sits in the lecture. */
export function updateCounter(presets, name) {
  const at = presets.findIndex((p) => p.name === name);
  $("scene-counter").textContent = at < 0 ? "" : `${at + 1} / ${presets.length} · ${presets[at].section ?? presets[at].title}`;
}

export async function copyLink(url) {
  const field = $("share-url");
  field.value = url;
  try {
    await navigator.clipboard.writeText(url);
    $("copy-status").textContent = "Link copied";
  } catch {
    // No clipboard permission (plain http, old browser): show the link to copy by hand.
    field.hidden = false;
    field.select();
    $("copy-status").textContent = "Copy the link from the field";
  }
}
