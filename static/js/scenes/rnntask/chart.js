/**
 * The three loss curves of the remember-first task on one log-scale uPlot chart. A
 * variant whose loss overflowed stops at its last finite loss (uPlot draws nothing for
 * a null), and its divergence is said in words beside it.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { followPanelZoom } from "../../chartfont.js";
import { formatNumber } from "../../format.js";
import { decadeLabel } from "../rnn/text.js";

export const VARIANT_COLOURS = ["#c05a00", "#2166ac", "#111111"];
const DASHES = [[], [10, 5], [3, 4]]; // the curves differ by dash too, not by colour alone

function fontOf(box) {
  const px = Math.round(parseFloat(getComputedStyle(box).fontSize) * 0.95) || 17;
  return `${px}px system-ui, sans-serif`;
}

const logOrNull = (v) => (Number.isFinite(v) && v > 0 ? Math.log10(v) : null);

// An exploding curve would squash the others into a line at the bottom: the axis stops at
// 10^TOP_DECADE and the curve leaves the chart there (its card says where it overflowed).
const TOP_DECADE = 2;
const yRange = (u, lo, hi) => [Math.floor(lo ?? -4), Math.min(TOP_DECADE, Math.ceil(hi ?? 1))];

export function createLossChart(box, names, totalSteps) {
  const font = fontOf(box);
  const width = () => Math.max(320, box.clientWidth);
  const plot = new uPlot({
    width: width(), height: 340,
    scales: { x: { time: false, range: [0, totalSteps] }, y: { range: yRange } },
    axes: [
      { label: "gradient-descent step", font, labelFont: `bold ${font}`, stroke: "#111" },
      { label: "loss f (log scale)", font, labelFont: `bold ${font}`, stroke: "#111", size: 90,
        values: (u, splits) => splits.map((k) => (Number.isInteger(k) ? decadeLabel(k) : "")) },
    ],
    series: [{ label: "step" }, ...names.map((label, i) => ({
      label, stroke: VARIANT_COLOURS[i], width: 3, dash: DASHES[i], points: { show: false },
      value: (u, v) => (v == null ? "—" : formatNumber(10 ** v)),
    }))],
    cursor: { drag: { x: false, y: false } },
  }, [[], ...names.map(() => [])], box);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 340 }));
  resize.observe(box);
  const stopFont = followPanelZoom(plot, box, parseFloat(font));
  return {
    /** curves: one array of losses per variant (different lengths are fine). */
    update(curves) {
      const longest = Math.max(0, ...curves.map((c) => c.length));
      const steps = Array.from({ length: longest }, (_, i) => i);
      plot.setData([steps, ...curves.map((c) => steps.map((i) => logOrNull(c[i])))]);
    },
    destroy() { resize.disconnect(); stopFont(); plot.destroy(); },
  };
}
