/**
 * Chart labels that stay readable on a slide. Canvas text does not follow CSS, and presenter
 * mode scales a scene's panel down until it fits (presenter.js, CSS zoom), so a chart's
 * 16 px axis labels would reach the back row at 8 px. A chart passed to followPanelZoom gets,
 * whenever the panel's zoom changes (the "panelzoom" event on the panel), labels of
 * labelPx(…) CSS pixels: at least SLIDE_MIN_PX on the slide, whatever the zoom.
 */

export const SLIDE_MIN_PX = 18;

/** The label size, in the panel's CSS pixels, that shows as ≥ SLIDE_MIN_PX on a slide. */
export function labelPx(basePx, zoom, presenting) {
  if (!presenting) return basePx;
  return Math.ceil(Math.max(basePx, SLIDE_MIN_PX / Math.max(zoom, 0.1)));
}

/**
 * Sets every axis's tick and label font of a uPlot chart to `px` and redraws it. uPlot keeps
 * an axis's resolved font as [font at the device's pixel ratio, its size, the CSS size]
 * (what its own pixel-ratio change updates); a chart without that shape is left as it is.
 * The room of each axis (its ticks' size and its title's labelSize) grows with the font, so
 * larger tick labels and titles are not cut at the canvas's edge.
 */
function setAxisFonts(plot, px, basePx) {
  const ratio = window.devicePixelRatio || 1; // what uPlot draws its canvas at
  const grow = px / basePx;
  for (const axis of plot.axes) {
    for (const font of [axis.font, axis.labelFont]) {
      if (!Array.isArray(font) || font.length < 3 || typeof font[0] !== "string") continue;
      font[2] = px;
      font[1] = Math.round(px * ratio * 10) / 10;
      font[0] = font[0].replace(/[0-9.]+px/, `${font[1]}px`);
    }
    if (!axis.baseRoom) axis.baseRoom = { size: axis.size, space: axis.space, labelSize: axis.labelSize };
    const { size, space, labelSize } = axis.baseRoom;
    // uPlot calls size(self, values, i, cycle) and space(…) at each layout (it wraps a number
    // in a function): the room of the ticks and the least gap between two of them.
    if (typeof size === "function") axis.size = (...args) => Math.ceil(size(...args) * grow);
    if (typeof space === "function") axis.space = (...args) => space(...args) * grow;
    if (typeof labelSize === "number") axis.labelSize = Math.ceil(labelSize * grow);
  }
  plot.redraw(false, true);
}

const panelOf = (box) => box.closest('[data-testid="scene"]');

/** Keeps `plot`'s labels readable while presenter mode zooms its panel; returns a stop (a
 * chart no longer on the page also stops at the next zoom). */
export function followPanelZoom(plot, box, basePx = 16, onChange = () => {}) {
  const panel = panelOf(box);
  if (!panel) return () => {};
  let drawn = basePx; // the chart was made with its labels at basePx
  const apply = () => {
    // A chart destroyed or taken off the page stops listening by itself.
    if (plot.root && !plot.root.isConnected) return panel.removeEventListener("panelzoom", apply);
    const zoom = Number(panel.style.zoom || 1);
    const px = labelPx(basePx, zoom, document.body.classList.contains("presenting"));
    // What the chart's labels are drawn at, and would be off a slide (test hooks).
    Object.assign(box.dataset, { labelPx: String(px), labelBasePx: String(basePx),
      axisTitles: JSON.stringify(plot.axes.map((a) => [a.label ?? "", a.side ?? 0])) });
    if (px === drawn) return;
    drawn = px;
    setAxisFonts(plot, px, basePx);
    onChange(px);
  };
  panel.addEventListener("panelzoom", apply);
  apply();
  return () => panel.removeEventListener("panelzoom", apply);
}

/**
 * A chart of a scene's panel that keeps its size on the screen and the width of its box:
 * its labels readable on a slide (followPanelZoom), and its size in the panel's pixels grown
 * by as much as its labels, so a zoomed panel's chart is no smaller than on the page, as wide
 * as its box (a column of a slide, the page's panel again after presenter mode) between
 * min and max page pixels, and slideHeight page pixels high on a slide. Returns a stop; a chart no longer on the page stops by itself.
 */
export function followPanel(plot, box, { basePx = 16, min = 300, max = 720, slideHeight = plot.height } = {}) {
  const pageHeight = plot.height;
  let grow = 1;
  const resize = () => {
    if (!box.clientWidth || (plot.root && !plot.root.isConnected)) return;
    const width = Math.round(Math.max(min * grow, Math.min(max * grow, box.clientWidth)));
    // On a slide a chart may be lower than on the page (slideHeight), to leave room for its column.
    const height = document.body.classList.contains("presenting") ? slideHeight : pageHeight;
    const tall = Math.round(height * grow);
    if (width !== plot.width || tall !== plot.height) plot.setSize({ width, height: tall });
  };
  const stopFont = followPanelZoom(plot, box, basePx, (px) => { grow = px / basePx; resize(); });
  if (typeof ResizeObserver === "undefined") return stopFont;
  const observer = new ResizeObserver(() => (plot.root && !plot.root.isConnected ? observer.disconnect() : resize()));
  observer.observe(box);
  return () => { stopFont(); observer.disconnect(); };
}
