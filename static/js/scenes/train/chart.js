/** The training panel's loss chart (uPlot): log10 of the loss, labelled back as losses. */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";

/** Short tick labels that survive a loss growing to 1e300 (uPlot's default shows none). */
function tickLabel(v) {
  if (v == null) return "";
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : String(+v.toPrecision(3));
}

/**
 * The plotted series: log10 of the loss on a linear scale when logY, labelled back as
 * losses. uPlot's own log scale draws no axis when a diverging loss spans 300 decades.
 */
export function plotted(losses, logY) {
  return logY ? losses.map((f) => (f === null ? null : Math.log10(f))) : losses;
}

export function makeChart(box, logY) {
  box.replaceChildren();
  const opts = {
    width: 500, height: 280, title: "loss f per step",
    scales: { x: { time: false } },
    axes: [{ label: "step", font: "16px sans-serif", labelFont: "bold 16px sans-serif" }, { font: "16px sans-serif", size: 90, values: (u, splits) => splits.map((v) => tickLabel(logY ? 10 ** v : v)) }],
    series: [{}, { label: "f", stroke: "#b35806", width: 3 }],
    legend: { show: false },
  };
  return new uPlot(opts, [[], []], box);
}
