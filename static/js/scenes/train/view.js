/**
 * The training panel's DOM: the Train button, the step and f readouts, the loss chart,
 * the decision boundary and the hidden units' heat maps, the divergence box and the notes.
 * It reads the scene's state `s` and writes nothing into it but `s.picked` (the enlarged
 * unit). No API calls.
 */

import { maxAbs } from "../../colour.js";
import { exportCanvasPng } from "../../export.js";
import { boundaryColour, drawCurve, drawPoints, paintHeat } from "./draw.js";
import { checksum, column, score } from "./grid.js";
import { makeChart, plotted } from "./chart.js";
import { followPanelZoom } from "../../chartfont.js";
import { formatNumber } from "../../format.js";

export const GRID = 40;
const CAPTION = "the net's output over the plane: blue region and ● class 0, orange region and ■ class 1";

export class TrainingView {
  constructor(root, q, s) {
    this.root = root;
    this.q = q;
    this.s = s;
    this.chart = makeChart(q("train-loss-chart"), s.logY);
    this.stopFont = followPanelZoom(this.chart, q("train-loss-chart"));
  }

  running(on) {
    const button = this.q("train");
    button.textContent = on ? "❚❚ Pause" : "▶ Train";
    button.setAttribute("aria-pressed", String(on));
    this.root.dataset.running = String(on);
  }

  /** The step counter, f after the last update, and the loss curve. */
  progress(loss) {
    const { q, s } = this;
    q("train-step").textContent = String(s.step);
    q("train-loss").textContent = loss === undefined ? "–" : formatNumber(loss); // ∞ as the header writes it
    q("train-loss").dataset.value = loss === undefined ? "" : String(loss);
    this.plot();
  }

  plot() {
    const { q, s } = this;
    this.chart.setData([s.steps, plotted(s.losses, s.logY)]);
    q("train-loss-chart").dataset.points = JSON.stringify({ count: s.steps.length, last_step: s.steps.at(-1) ?? null });
  }

  /** The chart again, on a log or a linear y-axis. */
  rescale() {
    this.stopFont();
    this.chart.destroy();
    this.chart = makeChart(this.q("train-loss-chart"), this.s.logY);
    this.stopFont = followPanelZoom(this.chart, this.q("train-loss-chart"));
    this.plot();
  }

  divergence(div) {
    const { q, root } = this;
    const box = q("divergence");
    box.hidden = !div;
    root.dataset.diverged = String(Boolean(div));
    // Training on from NaN weights only repeats the diagnosis: a fix goes back first.
    q("train").disabled = Boolean(div);
    const caption = root.querySelector(".train-boundary figcaption");
    if (!div) {
      caption.textContent = CAPTION;
      return;
    }
    caption.textContent = "the net's output is non-finite (NaN) everywhere: the weights overflowed";
    box.dataset.node = div.first_nonfinite_value ?? div.first_nonfinite_grad_before ?? "";
    box.dataset.step = String(div.absolute ?? div.step);
    // The server counts steps within one request; the page counts from the start of the run.
    q("train-divergence-message").textContent = div.message.replace(`at step ${div.step}`, `at step ${div.absolute ?? div.step}`);
  }

  /** The boundary and the units of the last prediction `s.last` = {g, pred, is2d}. */
  prediction() {
    const { g, pred, is2d } = this.s.last;
    const canvas = this.q("train-boundary");
    canvas.dataset.checksum = String(checksum(pred.output));
    canvas.dataset.grid = JSON.stringify(is2d ? { size: GRID, ...g.bounds } : { n: 120, ...g.bounds });
    this.paintBoundary(canvas);
    if (is2d) this.units(pred);
  }

  /** The boundary (or the 1-D fit) of the last prediction onto `canvas`, at any size. */
  paintBoundary(canvas) {
    const { g, pred } = this.s.last;
    const { x, y } = this.s.data;
    if (x[0].length !== 2) return drawCurve(canvas, x, y, g, pred.output);
    const multi = pred.output[0].length > 1;
    const scores = pred.output.map((row, k) => score(row, pred.probability?.[k]));
    paintHeat(canvas, scores, GRID, 0.5, boundaryColour(multi));
    return drawPoints(canvas, g.bounds, x, y);
  }

  /** The boundary redrawn at twice the on-screen canvas, sharp on a projector or a slide. */
  exportBoundary(name) {
    const c = this.q("train-boundary");
    const big = Object.assign(document.createElement("canvas"), { width: 2 * c.width, height: 2 * c.height });
    if (this.s.last) this.paintBoundary(big);
    return exportCanvasPng(big, `${name}-boundary`);
  }

  units(pred) {
    for (const [key, c] of Object.entries(this.s.units)) {
      const [layer, j] = key.split(":");
      const values = column(pred.layers[layer] ?? [], Number(j));
      paintHeat(c, values, GRID, maxAbs(values) || 1);
    }
    if (this.s.picked) this.pickUnit(...this.s.picked);
  }

  pickUnit(layer, j) {
    if (!this.s.last) return;
    this.s.picked = [layer, j];
    const big = this.q("train-unit-big");
    big.hidden = false;
    big.dataset.unit = `${layer}:${j}`;
    const values = column(this.s.last.pred.layers[layer], j);
    paintHeat(big, values, GRID, maxAbs(values) || 1);
  }

  error(e) {
    this.q("train-csv-error").textContent = e ? e.reason ?? e.message : "";
  }

  /** The share note: the link cannot hold uploaded data, or the link's setup was unreadable. */
  shareNote(text) {
    const note = this.q("train-share-note");
    if (text === null) note.textContent = "The uploaded data is too large for a link: a copied link will not reopen it.";
    // A bad link's message stays until the user changes something.
    else if (this.s.segments.length || note.dataset.kind !== "link") note.textContent = "";
    note.dataset.kind = text === null ? "size" : note.dataset.kind;
  }

  badLink(message) {
    const note = this.q("train-share-note");
    note.dataset.kind = "link";
    note.textContent = `This link's training setup could not be read: ${message}. Showing the scene's own setup.`;
  }

  destroy() {
    this.stopFont();
    this.chart.destroy();
  }
}
