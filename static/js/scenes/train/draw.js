/**
 * Drawing for the training panel: the boundary heat map with the points on top, the unit
 * thumbnails, and the fitted curve for 1-D regression. Canvas: 1600 pixels per redraw are
 * far cheaper as ImageData than as SVG rects, which keeps the page above 30 fps.
 */

import { COLOURS } from "../../config.js";
import { boundaryWash, classFill, classRegion, classShape, divergingColour } from "../../colour.js";
import { pixels } from "./grid.js";

/** Paints size × size `values` onto `canvas` (scaled up, smoothed) with a diverging scale. */
export function paintHeat(canvas, values, size, maxAbs, colourOf = null) {
  const small = document.createElement("canvas");
  small.width = size;
  small.height = size;
  const colour = colourOf ?? ((v) => divergingColour(v, maxAbs));
  small.getContext("2d").putImageData(new ImageData(pixels(values, colour), size, size), 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

/** Maps data coordinates to canvas pixels for `bounds`. */
export function toPixel(canvas, bounds, x, y) {
  const px = ((x - bounds.x0) / (bounds.x1 - bounds.x0)) * canvas.width;
  const py = ((bounds.y1 - y) / (bounds.y1 - bounds.y0)) * canvas.height;
  return [px, py];
}

/** Class of a target row: a 0/1 label, a class index, or the argmax of a one-hot row. */
export function classOf(row) {
  if (!Array.isArray(row)) return row;
  if (row.length === 1) return row[0] >= 0.5 ? 1 : 0;
  return row.indexOf(Math.max(...row));
}

// Unit-radius outlines of the marker shapes (y down), so class reads without colour.
const SHAPES = {
  square: [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
  triangle: [[0, -1.15], [1.05, 0.75], [-1.05, 0.75]],
  "triangle-down": [[0, 1.15], [1.05, -0.75], [-1.05, -0.75]],
  diamond: [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
  cross: [[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1],
    [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]],
};

/** Traces class `k`'s marker of radius `r` at (px, py). */
export function markerPath(ctx, shape, px, py, r) {
  ctx.beginPath();
  if (shape === "circle") return ctx.arc(px, py, r, 0, 2 * Math.PI);
  SHAPES[shape].forEach(([u, v], i) => (i ? ctx.lineTo(px + u * r, py + v * r) : ctx.moveTo(px + u * r, py + v * r)));
  ctx.closePath();
}

/** Points with a shape and a dark fill per class, ringed white then near-black: readable on any region. */
export function drawPoints(canvas, bounds, x, y) {
  const ctx = canvas.getContext("2d");
  const r = Math.max(5, canvas.width / 80);
  x.forEach((p, k) => {
    const [px, py] = toPixel(canvas, bounds, p[0], p[1]);
    const c = classOf(y[k]);
    markerPath(ctx, classShape(c), px, py, r);
    ctx.fillStyle = classFill(c);
    ctx.fill();
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#111111";
    ctx.stroke();
  });
}

/** The colour of a boundary score: the washed margin around 0.5, or a class's region. */
export function boundaryColour(multiClass) {
  if (!multiClass) return boundaryWash;
  return (v) => (Number.isNaN(v) ? COLOURS.invalid : classRegion(Math.round(v)));
}

/** 1-D regression: the points and the net's curve over them. */
export function drawCurve(canvas, x, y, line, outputs) {
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const ys = [...y.map((r) => r[0]), ...outputs.map((r) => r[0]).filter(Number.isFinite)];
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const pad = (hi - lo) * 0.1 || 1;
  const bounds = { ...line.bounds, y0: lo - pad, y1: hi + pad };
  x.forEach((p, k) => {
    const [px, py] = toPixel(canvas, bounds, p[0], y[k][0]);
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, 2 * Math.PI);
    ctx.fillStyle = classFill(0);
    ctx.fill();
  });
  ctx.beginPath();
  line.points.forEach((p, i) => {
    const [px, py] = toPixel(canvas, bounds, p[0], outputs[i][0]);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.lineWidth = 4;
  // The fitted curve in the sign colour: 4.5:1 on white (Okabe–Ito orange is only 2.3:1).
  ctx.strokeStyle = COLOURS.positive;
  ctx.stroke();
}
