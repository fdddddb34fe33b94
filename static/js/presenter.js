/**
 * Presenter mode for a projected lecture: large type and high contrast (CSS on
 * body.presenting), controls that appear only when hovered or focused, and keys to move
 * between scenes (1–9, 0 = the ten lecture scenes, / = the first; PageDown/PageUp or n/b =
 * next/previous preset; p toggles presenter mode, Esc leaves it).
 * A− / A+ scale the type for other projectors (kept in localStorage), and a scene's panel
 * that would not fit the slide is scaled down to fit (fitPanel), never so far that its
 * smallest text reads under MIN_TEXT_PX on the slide: the panel's CSS (main.css) flows its
 * parts into columns so that it fits at that size.
 * Also the "Copy link" button's clipboard logic, with a selectable text field as fallback.
 */

import { sceneOfKey } from "./lecture.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement
    || target instanceof HTMLTextAreaElement;
}

// A− / A+: steps of the type scale, kept for the next lecture on the same projector.
const FONT = Object.freeze({ key: "backprop-viz.font-scale", min: 0.7, max: 1.6, step: 0.1 });
// A panel's smallest text, times its zoom, is never under this on the slide (at A− / A+
// the bound scales with the type: the teacher chose smaller or larger text).
const MIN_TEXT_PX = 16;
// Below the floor only when a panel's layout cannot fit it otherwise.
const LAST_RESORT_ZOOM = 0.4;

const presenting = () => document.body.classList.contains("presenting");

function storedScale() {
  try {
    const v = Number(window.localStorage.getItem(FONT.key));
    return Number.isFinite(v) && v >= FONT.min && v <= FONT.max ? v : 1;
  } catch {
    return 1; // storage refused (privacy mode): the default size
  }
}

function setScale(scale) {
  const s = Math.round(Math.min(FONT.max, Math.max(FONT.min, scale)) * 10) / 10;
  document.documentElement.style.setProperty("--font-scale", String(s));
  $("font-smaller").disabled = s <= FONT.min;
  $("font-larger").disabled = s >= FONT.max;
  try {
    window.localStorage.setItem(FONT.key, String(s));
  } catch {
    // not kept: the size still applies to this page
  }
  relayout();
  return s;
}

/** CSS reads --panel-zoom to keep the panel's legends readable at any zoom (main.css). */
function setZoom(panel, zoom) {
  const before = panel.style.zoom;
  panel.style.zoom = zoom === null ? "" : String(zoom);
  if (zoom === null) panel.style.removeProperty("--panel-zoom");
  else panel.style.setProperty("--panel-zoom", String(zoom));
  // Canvas charts size their labels for the slide (chartfont.js).
  if (panel.style.zoom !== before) panel.dispatchEvent(new Event("panelzoom"));
}

/** The font size of the panel's smallest text at zoom 1, or Infinity for a panel with no
 * text. SVG drawings scale with their viewBox and an equation's exponents and indices are
 * smaller by design (MathML's script level), so their text is left out. */
function smallestText(panel) {
  let min = Infinity;
  const seen = new Set();
  const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || seen.has(el) || !node.textContent.trim() || el.closest("svg, math")) continue;
    seen.add(el);
    if (!el.getClientRects().length) continue;
    // A computed size is the element's own, before the panel's zoom.
    min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
  }
  return min;
}

/** The smallest zoom at which every text of the panel shows at ≥ MIN_TEXT_PX × the type scale. */
function zoomFloor(panel) {
  const scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--font-scale")) || 1;
  return Math.min(1, (MIN_TEXT_PX * scale) / smallestText(panel));
}

/** The scene's panel scaled down (CSS zoom) until it fits its box of the slide, first no
 * further than zoomFloor (the panel's CSS reflows it to fit there); only a panel still too
 * big at that size goes on down to LAST_RESORT_ZOOM, since text cut off the slide is worse
 * than small text. A panel that grows while stepping or training is scaled again, never up
 * (no jitter). */
function fitPanel(grow = false) {
  const panel = $("scene");
  if (!presenting() || panel.hidden) {
    setZoom(panel, null);
    return;
  }
  const floor = zoomFloor(panel);
  let zoom = grow ? 1 : Number(panel.style.zoom || 1);
  setZoom(panel, Math.max(floor, zoom));
  for (const least of [floor, Math.min(floor, LAST_RESORT_ZOOM)]) {
    zoom = Math.max(least, Number(panel.style.zoom || 1));
    for (let i = 0; i < 12 && zoom > least; i += 1) {
      const over = Math.max(panel.scrollHeight / Math.max(1, panel.clientHeight),
        panel.scrollWidth / Math.max(1, panel.clientWidth));
      if (over <= 1.002) return;
      // Zooming out also widens the panel's own box, so the text reflows shorter: step, re-measure.
      zoom = Math.max(least, Math.floor(zoom * Math.max(0.9, 1 / over) * 100) / 100);
      setZoom(panel, zoom);
    }
  }
}

let fitQueued = false;
function queueFit(grow = false) {
  if (fitQueued && !grow) return;
  fitQueued = true;
  requestAnimationFrame(() => {
    fitQueued = false;
    fitPanel(grow);
  });
}

/** After the slide's size changed: the equation refits (formula.js listens) and the panel too. */
function relayout() {
  window.dispatchEvent(new Event("resize"));
  queueFit(true);
}

function watchPanel() {
  const panel = $("scene");
  new MutationObserver(() => queueFit(false))
    .observe(panel, { childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: ["hidden", "data-scene"] });
  // A new preset: its panel starts again from full size.
  new MutationObserver(() => queueFit(true))
    .observe(document.body, { attributes: true, attributeFilter: ["data-preset"] });
  window.addEventListener("resize", () => queueFit(false));
}

/** Draws presenter mode on or off: the store's `present`, which this follows. */
function showPresenting(on) {
  document.body.classList.toggle("presenting", on);
  const button = $("present-toggle");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "Exit presenter" : "Presenter mode";
  relayout();
}

/** The key's move: {lecture: scene index} or {offset: ±1 preset}, or null when not ours. */
function sceneMove(key) {
  const scene = key === "/" ? 0 : sceneOfKey(key);
  if (scene !== null) return { lecture: scene };
  if (key === "PageDown" || key === "n") return { offset: 1 };
  if (key === "PageUp" || key === "b") return { offset: -1 };
  return null;
}

export function bindPresenter(actions, store) {
  const toggle = () => actions.present(store.state.present !== 1);
  $("present-toggle").addEventListener("click", toggle);
  $("copy-link").addEventListener("click", actions.copyLink);
  let scale = setScale(storedScale());
  $("font-smaller").addEventListener("click", () => { scale = setScale(scale - FONT.step); });
  $("font-larger").addEventListener("click", () => { scale = setScale(scale + FONT.step); });
  watchPanel();
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key === "p") return toggle();
    if (event.key === "Escape" && store.state.present === 1) return actions.present(false);
    const move = sceneMove(event.key);
    if (!move) return;
    event.preventDefault();
    if (move.lecture !== undefined) actions.lecture(move.lecture);
    else actions.scene(move.offset);
  });
  store.subscribe((state, previous) => state.present !== previous.present && showPresenting(state.present === 1));
  showPresenting(store.state.present === 1);
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
