/**
 * Visual constants in one place: colours, sizes, timings. Sized for a projector: a
 * teacher at the back of a room must read every label.
 */

export const COLOURS = Object.freeze({
  // ColorBrewer PuOr-like blue/orange ramp (colour-blind safe), from −1 to +1.
  diverging: ["#2166ac", "#67a9cf", "#f7f7f7", "#f1a340", "#b35806"],
  negative: "#2166ac",
  positive: "#c05a00",
  invalid: "#8e0152",
  unknown: "#ffffff",
  unitStroke: "#333333",
  highlight: "#111111",
  dim: "#bdbdbd",
  bar: "#4d4d4d",
  loss: "#d9d9d9",
});

export const LAYOUT = Object.freeze({
  width: 1200,            // SVG user units; the SVG scales to its box
  height: 460,
  margin: 70,             // left and right room for the first and last columns
  labelBand: 48,          // room above the units for the column labels
  bottom: 40,             // room for the loss value written under f
  unitRadius: 24,
  maxUnitsShown: 9,       // wider layers show the first ones, "⋮", and the last one
  maxEdgeWidth: 9,
  minEdgeWidth: 1.2,
  labelSize: 24,
});

export const MATRIX = Object.freeze({
  maxRows: 6,             // larger matrices are shown truncated with ⋮ / ⋯
  maxCols: 6,
  digits: 4,
});

export const PLAYER = Object.freeze({
  speeds: [0.5, 1, 2, 4], // steps per second
  defaultSpeed: 1,
});

export const DEFAULTS = Object.freeze({
  preset: "linear-warmup",
  lr: 0.1,
  example: 1,
});
