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
 */
function setAxisFonts(plot, px) {
  const ratio = window.devicePixelRatio || 1; // what uPlot draws its canvas at
  for (const axis of plot.axes) {
    for (const font of [axis.font, axis.labelFont]) {
      if (!Array.isArray(font) || font.length < 3 || typeof font[0] !== "string") continue;
      font[2] = px;
      font[1] = Math.round(px * ratio * 10) / 10;
      font[0] = font[0].replace(/[0-9.]+px/, `${font[1]}px`);
    }
  }
  plot.redraw(false, true);
}

const panelOf = (box) => box.closest('[data-testid="scene"]');

/** Keeps `plot`'s labels readable while presenter mode zooms its panel; returns a stop (a
 * chart no longer on the page also stops at the next zoom). */
export function followPanelZoom(plot, box, basePx = 16) {
  const panel = panelOf(box);
  if (!panel) return () => {};
  let drawn = basePx; // the chart was made with its labels at basePx
  const apply = () => {
    // A chart destroyed or taken off the page stops listening by itself.
    if (plot.root && !plot.root.isConnected) return panel.removeEventListener("panelzoom", apply);
    const zoom = Number(panel.style.zoom || 1);
    const px = labelPx(basePx, zoom, document.body.classList.contains("presenting"));
    // What the chart's labels are drawn at, and would be off a slide (test hooks).
    Object.assign(box.dataset, { labelPx: String(px), labelBasePx: String(basePx) });
    if (px === drawn) return;
    drawn = px;
    setAxisFonts(plot, px);
  };
  panel.addEventListener("panelzoom", apply);
  apply();
  return () => panel.removeEventListener("panelzoom", apply);
}
