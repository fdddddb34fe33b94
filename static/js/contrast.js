/**
 * Colour audit maths, so the palette can be checked by a test rather than by eye: WCAG 2
 * contrast ratios, colour-vision-deficiency simulation (Machado, Oliveira & Fernandes 2009,
 * severity 1, on linear RGB) and the CIE 1976 colour difference ΔE*ab. Pure.
 */

export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toLinear = (c) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

const toSrgb = (l) => {
  const c = Math.max(0, Math.min(1, l));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
};

/** WCAG 2 relative luminance of "#rrggbb". */
export function luminance(hex) {
  const [r, g, b] = hexToRgb(hex).map(toLinear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours, from 1 to 21. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const MACHADO = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
};
export const DEFICIENCIES = Object.keys(MACHADO);

/** How `hex` looks to a viewer with `kind` (a key of MACHADO), as "#rrggbb". */
export function simulate(hex, kind) {
  const lin = hexToRgb(hex).map(toLinear);
  const out = MACHADO[kind].map((row) => toSrgb(row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2]));
  return "#" + out.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
}

function toLab(hex) {
  const [r, g, b] = hexToRgb(hex).map(toLinear);
  // sRGB → XYZ (D65), normalised by the white point.
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE 1976 ΔE*ab: about 2 is just noticeable, above 20 two colours read as different. */
export function deltaE(a, b) {
  const [p, q] = [toLab(a), toLab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
