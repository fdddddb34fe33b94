/**
 * The δ sweep of the nudge scene, asked and drawn: the same kind of nudge as the settings'
 * at 13 sizes from 1 to 10⁻⁶ (one /nudge each, in turn), |actual change| and |remainder|
 * on log–log axes beside a slope-2 reference, and the fitted slope.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { followPanel } from "../../chartfont.js";
import { formatNumber } from "../../format.js";
import { nudgeFields } from "./request.js";
import { logLabels, logSteps, remainderSlope } from "./sweep.js";

/** The answers of one sweep for `scene`; `body`: the network and data. */
export async function sweepAnswers(api, body, scene, grad) {
  const deltas = logSteps();
  const answers = [];
  for (const d of deltas) answers.push(await api.nudge({ ...body, ...nudgeFields(scene, grad, d) }));
  return { deltas, answers };
}

/** The slope's sentence and the chart; returns the new uPlot (the caller destroys the old). */
export function drawSweep(out, box, { deltas, answers }) {
  const rem = answers.map((a) => a.remainder);
  const slope = remainderSlope(deltas, rem);
  Object.assign(out.dataset, { slope: String(slope), deltas: JSON.stringify(deltas), remainders: JSON.stringify(rem) });
  out.textContent = `Fitted slope of log|remainder| against log δ (δ from 10⁻⁵ to 10⁻², where the δ² term dominates): ${formatNumber(slope, 3)} — `
    + "halving δ quarters the remainder. At large δ the cubic and higher terms join in; at tiny δ float rounding (≈10⁻¹⁶ |f|) does.";
  const ref = deltas.map((d) => Math.abs(rem[6]) * (d / deltas[6]) ** 2);
  const font = "16px system-ui, sans-serif";
  const pos = (v) => (Number.isFinite(v) && v !== 0 ? Math.abs(v) : null);
  const asc = [...deltas.keys()].reverse();
  const plot = new uPlot({
    width: Math.max(320, Math.min(720, box.clientWidth)), height: 300,
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    axes: [{ label: "δ", font, labelFont: `bold ${font}`, values: logLabels },
      { label: "|·| (log)", font, labelFont: `bold ${font}`, size: 80, values: logLabels }],
    series: [{ label: "δ" }, { label: "|actual change|", stroke: "#111", width: 3 },
      { label: "|remainder|", stroke: "#c05a00", width: 3 }, { label: "slope 2", stroke: "#2166ac", dash: [8, 6], width: 2 }],
  }, [asc.map((i) => deltas[i]), asc.map((i) => pos(answers[i].actual_change)), asc.map((i) => pos(rem[i])),
    asc.map((i) => ref[i])], box);
  followPanel(plot, box, { min: 320, max: 720, slideHeight: 200 });
  return plot;
}
