/**
 * The lecture's conclusion, measured: for MLPs of growing width, the time of one backprop
 * (one forward and one backward pass, whatever the number of parameters P) against the
 * time of central finite differences (2P forward passes), both as requests to this server
 * timed in the browser (each includes ~1 ms of HTTP), on log–log axes.
 */

import uPlot from "/vendor/uplot/dist/uPlot.esm.js";
import { followPanel } from "../../chartfont.js";
import { formatNumber } from "../../format.js";
import { logLabels } from "./sweep.js";

const WIDTHS = [2, 4, 8, 16, 32, 64];
const M = 16;

function mlpBody(width) {
  const x = Array.from({ length: M }, (_, k) => [Math.sin(k + 1), Math.cos(2 * k + 1)]);
  const y = x.map(([a, b]) => [Math.tanh(a - b)]);
  return { network: { kind: "mlp", sizes: [2, width, width, 1], activation: "tanh", loss: "mse", seed: 0 }, x, y };
}

export const paramCount = (w) => 2 * w + w + w * w + w + w + 1;

async function timed(fn) {
  const t0 = performance.now();
  const answer = await fn();
  return [performance.now() - t0, answer];
}

/** One row per width: P, forward passes of each method and their times (ms). */
export async function measureCost(api) {
  const rows = [];
  for (const width of WIDTHS) {
    const body = mlpBody(width);
    await api.backprop(body); // warm-up: the first request of a shape pays for imports
    const [tb] = await timed(() => api.backprop({ ...body, detail: "gradients" }));
    const [tf, check] = await timed(() => api.gradcheck({ ...body, max_entries: 5000, nodes: false }));
    rows.push({ width, P: paramCount(width), backpropMs: tb, fdMs: tf, fdPasses: check.forward_passes });
  }
  return rows;
}

export function drawCost(box, rows) {
  box.replaceChildren();
  const font = "16px system-ui, sans-serif";
  const data = [rows.map((r) => r.P), rows.map((r) => r.backpropMs), rows.map((r) => r.fdMs)];
  const plot = new uPlot({
    width: Math.max(320, Math.min(720, box.clientWidth)), height: 300,
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    axes: [{ label: "parameters P", font, labelFont: `bold ${font}`, values: logLabels },
      { label: "ms (log)", font, labelFont: `bold ${font}`, size: 70, values: logLabels }],
    series: [{ label: "P" },
      { label: "backprop: 1 forward + 1 backward", stroke: "#2166ac", width: 3, value: (u, v) => (v == null ? "—" : formatNumber(v, 3)) },
      { label: "finite differences: 2P forwards", stroke: "#c05a00", width: 3, dash: [10, 5], value: (u, v) => (v == null ? "—" : formatNumber(v, 3)) }],
  }, data, box);
  followPanel(plot, box, { min: 320, max: 720, slideHeight: 200 });
  box.dataset.rows = JSON.stringify(rows);
}

/** Measures, draws and says the cost in the scene's `cost-*` elements. */
export async function showCost(api, q) {
  q("cost-summary").textContent = "Measuring…";
  const rows = await measureCost(api);
  drawCost(q("cost-chart"), rows);
  const last = rows.at(-1);
  q("cost-summary").textContent = `At P = ${last.P}: backprop ${formatNumber(last.backpropMs, 3)} ms, `
    + `finite differences ${formatNumber(last.fdMs, 3)} ms (${last.fdPasses} forward passes). `
    + "Backprop's time barely moves with P; finite differences grow with it.";
}
