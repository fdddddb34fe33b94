/**
 * The chart of ‖∂f/∂h_t‖ against t with the lecture's bound beside it. The y axis is
 * log10 of the norm on a linear uPlot scale, labelled back as powers of ten: uPlot's own
 * log scale draws no axis when an exploding run spans hundreds of decades. Points that
 * overflowed (∞, NaN) or are 0 cannot sit on a log scale: they become gaps, and the step
 * where the backward sweep overflowed gets a marker line.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { followPanelZoom } from "../../chartfont.js";
import { formatNumber } from "../../format.js";
import { decadeLabel } from "./text.js";

export const REGIME_COLOURS = Object.freeze({
  vanishing: "#2166ac", exploding: "#c05a00", steady: "#111111", unknown: "#4d4d4d",
});
const BOUND_COLOUR = "#3d3d3d";
const OVERFLOW_COLOUR = "#8e0152";

// The hovered value back from log10 to the norm; a gap is "—" (0, ∞ or NaN there).
const normAt = (u, v) => (v == null ? "—" : formatNumber(10 ** v));

const log10OrNull = (n) => (Number.isFinite(n) && n > 0 ? Math.log10(n) : null);

/** Draws the overflow marker: a dashed line at the step, and the region before it shaded. */
function overflowPlugin(state) {
  const draw = (u) => {
    if (state.overflow === null) return;
    const { ctx } = u;
    const x = Math.round(u.valToPos(state.overflow, "x", true));
    const { top, height, left } = u.bbox;
    ctx.save();
    ctx.fillStyle = "rgba(142, 1, 82, 0.08)";
    ctx.fillRect(left, top, x - left, height);
    ctx.strokeStyle = OVERFLOW_COLOUR;
    ctx.lineWidth = 3 * devicePixelRatio;
    ctx.setLineDash([10 * devicePixelRatio, 6 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.restore();
  };
  return { hooks: { draw } };
}

// Canvas text does not follow CSS: size it from the page's (projector-scaled) font.
function fontOf(box) {
  const px = Math.round(parseFloat(getComputedStyle(box).fontSize) * 0.95) || 17;
  return `${px}px system-ui, sans-serif`;
}

/** Whole decades around the data; with nothing finite to show, float64's whole range. */
export function decadeRange(min, max) {
  if (min == null || max == null) return [-10, 310];
  const lo = Math.floor(min);
  const hi = Math.ceil(max);
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

/** The log10 y-range (whole decades) that holds every finite, positive norm of `curves`. */
export function sharedRange(...curves) {
  const logs = curves.flat().map(log10OrNull).filter((v) => v !== null);
  return logs.length ? decadeRange(Math.min(...logs), Math.max(...logs)) : null;
}

/** The y scale's range: the one set from outside (charts compared side by side) or the data's. */
function yRange(state, box) {
  return (u, min, max) => {
    const range = state.yRange ?? decadeRange(min, max);
    box.dataset.yRange = range.join(",");
    return range;
  };
}

const heightFor = (width) => Math.round(Math.min(460, Math.max(300, width * 0.42)));

function options(width, state, FONT, box) {
  return {
    width, height: heightFor(width),
    scales: { x: { time: false, range: (u) => [0, Math.max(1, u.data[0].length - 1)] }, y: { range: yRange(state, box) } },
    axes: [
      { label: "time step t", font: FONT, incrs: [1, 2, 5, 10, 20, 25, 50, 100], labelFont: `bold ${FONT}`, stroke: "#111" },
      {
        label: "‖∂f/∂hₜ‖ (log scale)", font: FONT, labelFont: `bold ${FONT}`, stroke: "#111",
        size: (u, values) => 30 + 0.6 * parseFloat(FONT) * Math.max(3, ...(values ?? []).map((v) => v.length)), incrs: [1, 2, 5, 10, 20, 50, 100],
        values: (u, splits) => splits.map((k) => (Number.isInteger(k) ? decadeLabel(k) : "")),
      },
    ],
    series: [
      { label: "t", value: (u, t) => (t == null ? "—" : String(t)) },
      { label: "‖∂f/∂hₜ‖", stroke: () => REGIME_COLOURS[state.regime], width: 4, value: normAt,
        points: { show: (u) => u.data[0].length <= 60, size: 8 } },
      { label: "bound", stroke: BOUND_COLOUR, width: 2, dash: [8, 6], points: { show: false }, value: normAt },
    ],
    // The legend under the chart reads out the hovered step's numbers.
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    plugins: [overflowPlugin(state)],
  };
}

/**
 * A chart in `box`; update({norms, bound, regime, overflow}) replaces what it shows, and
 * setRange([lo, hi]) fixes its log10 y-range (null: the data's own), so two charts set side
 * by side can be read on one axis. `box.dataset.yRange` says the range drawn.
 */
export function createChart(box) {
  const state = { regime: "unknown", overflow: null, yRange: null };
  const font = fontOf(box);
  const plot = new uPlot(options(Math.max(320, box.clientWidth), state, font, box), [[], [], []], box);
  const stopFont = followPanelZoom(plot, box, parseFloat(font));
  const resize = new ResizeObserver(() => {
    const width = Math.max(320, box.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: heightFor(width) });
  });
  resize.observe(box);
  return {
    update({ norms, bound, regime, overflow }) {
      state.regime = regime;
      state.overflow = overflow;
      const t = norms.map((_, i) => i);
      const boundLogs = (bound ?? norms.map(() => null)).map(log10OrNull);
      plot.setData([t, norms.map(log10OrNull), boundLogs]);
    },
    setRange(range) {
      state.yRange = range;
      plot.setData(plot.data);
    },
    destroy() {
      resize.disconnect();
      stopFont();
      plot.destroy();
    },
  };
}
