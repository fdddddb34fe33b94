/**
 * The unrolled chain x_t → h_t → ŷ_t drawn through time (SVG). Each h_t shows the size of
 * ∂f/∂h_t: radius and colour from the log of its norm (larger and darker = larger
 * gradient; ∞/NaN in the scale's "invalid" colour). During the backward walk the steps
 * not reached yet stay blank, as the sweep has not computed them.
 */

import { COLOURS } from "../../config.js";
import { formatNumber, subscript } from "../../format.js";
import { chainWindow } from "./window.js";
import { logPosition } from "./fit.js";

const NS = "http://www.w3.org/2000/svg";
const WIDTH = 1200;
const HEIGHT = 250;
const ROW = { y: 40, h: 125, x: 215 };
const R = { min: 7, max: 22 };
// A light-to-dark orange ramp: one hue, so only the lightness carries the size.
const RAMP = [[254, 237, 222], [179, 88, 6]];

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function fillOf(pos, norm) {
  if (!Number.isFinite(norm)) return COLOURS.invalid;
  const c = RAMP[0].map((lo, i) => Math.round(lo + (RAMP[1][i] - lo) * pos));
  return `rgb(${c.join(",")})`;
}

// Room on the left for the row labels (ŷₜ, hₜ, xₜ); a gap takes two cells' width.
const LEFT = 56;

function layout(items) {
  const slots = items.reduce((n, item) => n + (item.gap ? 2 : 1), 0);
  const cell = Math.min(110, (WIDTH - LEFT - 10) / slots);
  let x = LEFT + (WIDTH - LEFT - 10 - cell * slots) / 2;
  return items.map((item) => {
    const width = item.gap ? 2 * cell : cell;
    x += width;
    return { ...item, cx: x - width / 2, cell, width };
  });
}

const maxRadius = (cell) => Math.min(R.max, cell * 0.42);

function drawStep(g, item, readOut, labelEvery) {
  const { t, cx, cell } = item;
  const box = Math.min(34, cell * 0.8);
  g.append(el("line", { x1: cx, y1: ROW.x - box / 2, x2: cx, y2: ROW.h, class: "rnn-edge" }));
  g.append(el("line", { x1: cx, y1: ROW.h, x2: cx, y2: ROW.y + box / 2, class: readOut ? "rnn-edge" : "rnn-edge faint" }));
  g.append(el("rect", { x: cx - box / 2, y: ROW.x - box / 2, width: box, height: box, class: "rnn-x" }));
  g.append(el("rect", { x: cx - box / 2, y: ROW.y - box / 2, width: box, height: box, class: readOut ? "rnn-yhat" : "rnn-yhat faint" }));
  const circle = el("circle", { cx, cy: ROW.h, r: R.min, class: "rnn-h", "data-testid": `rnn-h-${t}`, "data-t": t, "data-cell": cell });
  circle.append(el("title", {}, `h${subscript(t)}`));
  g.append(circle);
  if (t % labelEvery === 0 || t === 1) {
    g.append(el("text", { x: cx, y: HEIGHT - 4, class: "rnn-tlabel" }, String(t)));
  }
}

function drawGap(g, item) {
  g.append(el("text", { x: item.cx, y: ROW.h + 9, class: "rnn-gap" }, "⋯"));
  const count = item.gap[1] - item.gap[0] + 1;
  const title = el("title", {}, `t = ${item.gap[0]} … ${item.gap[1]} not drawn (${count} steps)`);
  const label = el("text", { x: item.cx, y: ROW.x + 6, class: "rnn-gap-count" }, `+${count}`);
  label.append(title);
  g.append(label);
}

function drawLinks(g, placed) {
  for (let i = 1; i < placed.length; i += 1) {
    const a = placed[i - 1];
    const b = placed[i];
    // Arrows h_{t−1} → h_t run between the cells' edges; a gap's "⋯" sits between two arrows.
    const from = a.cx + (a.gap ? a.width * 0.3 : maxRadius(a.cell) * 0.7);
    const to = b.cx - (b.gap ? b.width * 0.3 : maxRadius(b.cell) + 2);
    if (to - from < 4) continue;
    g.append(el("line", { x1: from, y1: ROW.h, x2: to, y2: ROW.h, class: "rnn-edge rec", "marker-end": "url(#rnn-arrow)" }));
  }
}

function drawRowLabels(g) {
  for (const [y, text] of [[ROW.y, "ŷₜ"], [ROW.h, "hₜ"], [ROW.x, "xₜ"]]) {
    g.append(el("text", { x: 8, y: y + 7, class: "rnn-rowlabel" }, text));
  }
}

/** An SVG in `box`; draw(steps, focus, perStepLoss) lays it out, paint(...) colours it. */
export function createChain(box) {
  const svg = el("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "rnn-chain", role: "img", "data-testid": "rnn-chain" });
  svg.append(el("defs", {}));
  svg.firstChild.innerHTML = '<marker id="rnn-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>';
  const g = el("g", {});
  svg.append(g);
  box.append(svg);
  let items = [];
  return {
    draw(steps, focus, perStepLoss) {
      g.replaceChildren();
      items = layout(chainWindow(steps, focus));
      const labelEvery = items.length > 20 ? 5 : 1;
      drawRowLabels(g);
      drawLinks(g, items);
      for (const item of items) {
        if (item.gap) drawGap(g, item);
        else drawStep(g, item, perStepLoss || item.t === steps, labelEvery);
      }
      svg.setAttribute("aria-label", `The RNN unrolled over ${steps} time steps`);
    },
    /** Colours each drawn h_t by its norm; `reached(t)` false leaves it blank. */
    paint(norms, reached, current) {
      for (const circle of g.querySelectorAll("circle.rnn-h")) {
        const t = Number(circle.dataset.t);
        const norm = norms[t];
        const on = reached(t);
        const pos = logPosition(norm, norms);
        const big = maxRadius(Number(circle.dataset.cell));
        const small = Math.min(R.min, big * 0.5);
        circle.setAttribute("r", on ? small + (big - small) * pos : small);
        circle.setAttribute("fill", on ? fillOf(pos, norm) : COLOURS.unknown);
        circle.classList.toggle("current", t === current);
        circle.dataset.norm = on ? String(norm) : "";
        circle.firstChild.textContent = `‖∂f/∂h${subscript(t)}‖ = ${on ? formatNumber(norm) : "not computed yet"}`;
      }
    },
  };
}
