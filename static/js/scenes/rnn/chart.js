/**
 * The chart of ‖∂f/∂h_t‖ against t with the lecture's bound beside it. The y axis is
 * log10 of the norm on a linear uPlot scale, labelled back as powers of ten: uPlot's own
 * log scale draws no axis when an exploding run spans hundreds of decades. Points that
 * overflowed (∞, NaN) or are 0 cannot sit on a log scale: they become gaps, and the step
 * where the backward sweep overflowed gets a marker line.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { decadeLabel } from "./text.js";

export const REGIME_COLOURS = Object.freeze({
  vanishing: "#2166ac", exploding: "#c05a00", steady: "#1b7837", unknown: "#4d4d4d",
});
const BOUND_COLOUR = "#3d3d3d";
const OVERFLOW_COLOUR = "#8e0152";
const FONT = "17px system-ui, sans-serif";

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

function options(width, state) {
  return {
    width, height: 330,
    scales: { x: { time: false }, y: { auto: true } },
    axes: [
      { label: "time step t", font: FONT, incrs: [1, 2, 5, 10, 20, 25, 50, 100], labelFont: `bold ${FONT}`, stroke: "#111" },
      {
        label: "‖∂f/∂hₜ‖ (log scale)", font: FONT, labelFont: `bold ${FONT}`, stroke: "#111",
        size: 70, incrs: [1, 2, 5, 10, 20, 50, 100],
        values: (u, splits) => splits.map((k) => (Number.isInteger(k) ? decadeLabel(k) : "")),
      },
    ],
    series: [
      {},
      { label: "‖∂f/∂hₜ‖", stroke: () => REGIME_COLOURS[state.regime], width: 4,
        points: { show: (u) => u.data[0].length <= 60, size: 8 } },
      { label: "bound", stroke: BOUND_COLOUR, width: 2, dash: [8, 6], points: { show: false } },
    ],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    plugins: [overflowPlugin(state)],
  };
}

/** A chart in `box`; update({norms, bound, regime, overflow}) replaces what it shows. */
export function createChart(box) {
  const state = { regime: "unknown", overflow: null };
  const plot = new uPlot(options(Math.max(320, box.clientWidth), state), [[], [], []], box);
  const resize = new ResizeObserver(() => {
    const width = Math.max(320, box.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: 330 });
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
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
