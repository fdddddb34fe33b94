/**
 * The op view's controls: zoom in / out, fit, fold the leaves; and pan by dragging, zoom
 * by the wheel around the cursor, + / − / 0 on the focused stage. (← and → stay the
 * page's step keys.)
 */

import { ZOOM } from "./viewbox.js";

/**
 * The control bar; without `fold` it has no fold checkbox, without `allSteps` no "every
 * time step" checkbox (the unrolled RNN's collapsed columns).
 */
export function buildTools({ zoomIn, zoomOut, fit, fold, allSteps }) {
  const bar = document.createElement("div");
  bar.className = "stage-tools";
  bar.innerHTML = `<button type="button" data-testid="zoom-in" aria-label="Zoom in">+</button>
    <button type="button" data-testid="zoom-out" aria-label="Zoom out">−</button>
    <button type="button" data-testid="zoom-fit">Fit</button>
    ${fold ? '<label data-role="fold"><input type="checkbox" data-testid="fold-leaves"> fold inputs and parameters into their ops</label>' : ""}
    ${allSteps ? '<label data-role="all-steps" hidden><input type="checkbox" data-testid="rnn-all-steps"> show every time step</label>' : ""}`;
  const [inB, outB, fitB] = bar.querySelectorAll("button");
  inB.addEventListener("click", zoomIn);
  outB.addEventListener("click", zoomOut);
  fitB.addEventListener("click", fit);
  bar.querySelector('[data-testid="fold-leaves"]')?.addEventListener("change", (e) => fold(e.target.checked));
  bar.querySelector('[data-testid="rnn-all-steps"]')?.addEventListener("change", (e) => allSteps(e.target.checked));
  return bar;
}

/** Drawing coordinates of a pointer event on `svg` (through its current viewBox). */
function pointOf(svg, view, e) {
  const r = svg.getBoundingClientRect();
  return { x: view.x + ((e.clientX - r.left) / r.width) * view.w, y: view.y + ((e.clientY - r.top) / r.height) * view.h };
}

export function bindPanZoom(svg, stage, enabled = () => true) {
  const active = () => enabled() && stage.view;
  svg.addEventListener("wheel", (e) => {
    if (!active()) return;
    e.preventDefault();
    const p = pointOf(svg, stage.view, e);
    stage.zoomBy(e.deltaY < 0 ? ZOOM.step : 1 / ZOOM.step, p.x, p.y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (e) => {
    if (!active() || e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY };
    stage.dragged = false;
  });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    // A click that moved the drawing is a drag: a collapsed column must not expand on it.
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) stage.dragged = true;
    const r = svg.getBoundingClientRect();
    stage.panBy(-((e.clientX - drag.x) / r.width) * stage.view.w, -((e.clientY - drag.y) / r.height) * stage.view.h);
    drag = { x: e.clientX, y: e.clientY };
  });
  const end = () => { drag = null; };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointerleave", end);
  svg.addEventListener("keydown", (e) => {
    if (!active()) return;
    if (e.key === "+" || e.key === "=") stage.zoomBy(ZOOM.step);
    else if (e.key === "-") stage.zoomBy(1 / ZOOM.step);
    else if (e.key === "0") stage.fit();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
}
