/**
 * Where each unit of an MLP goes in the SVG. Pure: numbers in, coordinates out.
 *
 * Columns, left to right: the input a₀, one column per layer i = 1..d (each unit drawn as
 * a circle whose left half is z_i and right half a_i), then the target y and the loss f.
 * Layers wider than LAYOUT.maxUnitsShown show their first units, an ellipsis, and the last.
 */

import { LAYOUT } from "./config.js";

/** Indices of the units drawn for a layer of `width` units; null marks the ellipsis slot. */
export function shownUnits(width, maxShown = LAYOUT.maxUnitsShown) {
  if (width <= maxShown) return Array.from({ length: width }, (_, i) => i);
  const head = Array.from({ length: maxShown - 2 }, (_, i) => i);
  return [...head, null, width - 1];
}

/** Layer widths [r0, r1, ..., rd] read from the graph nodes' shapes (a_i is (m, r_i)). */
export function layerSizes(graph) {
  const sizes = [];
  for (const node of graph.nodes) {
    const match = /^a(\d+)$/.exec(node.id);
    if (match) sizes[Number(match[1])] = node.shape[node.shape.length - 1] ?? 1;
  }
  return sizes;
}

function columnYs(count, middle, spacing) {
  const top = middle - ((count - 1) * spacing) / 2;
  return Array.from({ length: count }, (_, i) => top + i * spacing);
}

/**
 * The geometry of the neuron view: {width, height, radius, columns}, one column per
 * drawn vector (a0, layers, y, loss); each column lists {unit, x, y} slots, `unit` null
 * for an ellipsis.
 */
export function computeLayout(sizes, options = {}) {
  const { width = LAYOUT.width, maxShown = LAYOUT.maxUnitsShown } = options;
  const d = sizes.length - 1;
  const tallest = Math.max(...sizes.map((r) => shownUnits(r, maxShown).length), 1);
  // Small networks get bigger units: the drawing is scaled to the page width anyway.
  const radius = options.radius ?? (tallest <= 3 ? LAYOUT.unitRadius * 1.4 : LAYOUT.unitRadius);
  const spacing = radius * 2 + 18;
  const height = LAYOUT.labelBand + (tallest - 1) * spacing + radius * 3 + LAYOUT.bottom;
  // Units are centred below the band that holds the column labels.
  const middle = LAYOUT.labelBand + radius * 1.5 + ((tallest - 1) * spacing) / 2;
  const columnCount = d + 3; // a0, layers 1..d, y, loss
  // The right margin leaves room for the loss value written under f.
  const step = (width - 2 * LAYOUT.margin - 40) / (columnCount - 1);
  const xAt = (c) => LAYOUT.margin + c * step;
  const column = (id, c, count) => {
    const units = shownUnits(count, maxShown);
    const ys = columnYs(units.length, middle, spacing);
    return { id, x: xAt(c), units: units.map((unit, i) => ({ unit, x: xAt(c), y: ys[i] })) };
  };
  const columns = sizes.map((r, i) => column(`a${i}`, i, r));
  columns.push(column("y", d + 1, sizes[d]));
  columns.push(column("loss", d + 2, 1));
  return { width, height, radius, spacing, columns, depth: d, labelY: LAYOUT.labelBand - 14 };
}

/** Edge stroke width for weight `w` when the largest |weight| shown is `maxAbs`. */
export function edgeWidth(w, maxAbs) {
  if (!Number.isFinite(w)) return LAYOUT.maxEdgeWidth;
  if (!(maxAbs > 0)) return LAYOUT.minEdgeWidth;
  const t = Math.min(1, Math.abs(w) / maxAbs);
  return LAYOUT.minEdgeWidth + t * (LAYOUT.maxEdgeWidth - LAYOUT.minEdgeWidth);
}
