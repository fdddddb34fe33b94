/**
 * Downloads of what is on screen: the graph as SVG (with computed styles inlined, so it
 * looks the same outside the page) and as a PNG at twice its on-screen size (sharp on a
 * projector, pastes into any slide), a canvas as PNG, the recorded trace as JSON, and the run as a
 * standalone NumPy script from the API (with the current params, so it reproduces
 * the numbers shown).
 */

import { encodeNonfinite } from "./api.js";
import { exportBody } from "./exportbody.js";

function download(name, blob) {
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

const STYLE_PROPS = ["fill", "stroke", "stroke-width", "opacity", "font-size", "font-family", "font-weight",
  "text-anchor", "dominant-baseline", "stroke-dasharray", "stroke-linecap", "fill-opacity", "stroke-opacity",
  "display", "visibility"];

/** The stage SVG as text, each element carrying its computed style; `size` fixes its pixels. */
export function svgText(svg, size = null) {
  const copy = svg.cloneNode(true);
  if (size) {
    copy.setAttribute("width", String(size.width));
    copy.setAttribute("height", String(size.height));
  }
  const originals = [svg, ...svg.querySelectorAll("*")];
  [copy, ...copy.querySelectorAll("*")].forEach((el, i) => {
    const style = getComputedStyle(originals[i]);
    el.setAttribute("style", STYLE_PROPS.map((p) => `${p}:${style.getPropertyValue(p)}`).join(";"));
  });
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return new XMLSerializer().serializeToString(copy);
}

export function exportSvg(svg, name) {
  download(`${name}.svg`, new Blob([svgText(svg)], { type: "image/svg+xml" }));
}

function pngOf(canvas) {
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error("PNG export: the canvas is empty"))), "image/png"));
}

/** The SVG drawn on a white canvas at `scale` × its on-screen size, as a PNG blob. */
export async function svgPng(svg, scale = 2) {
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width * scale);
  const height = Math.round(box.height * scale);
  const url = URL.createObjectURL(new Blob([svgText(svg, { width, height })], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width, height });
    const ctx = canvas.getContext("2d");
    // The page's paper is white; a transparent PNG turns black in some slide tools.
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
    return await pngOf(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function exportPng(svg, name) {
  download(`${name}.png`, await svgPng(svg));
}

/** A canvas view (the training scene's boundary) as a PNG of its pixels. */
export async function exportCanvasPng(canvas, name) {
  download(`${name}.png`, await pngOf(canvas));
}

export function exportTrace(run) {
  const body = encodeNonfinite({ preset: run.preset.name, iterations: run.timeline.iterations });
  download(`${run.preset.name}-trace.json`, new Blob([body], { type: "application/json" }));
}

/** The NumPy script of the network on the stage (any kind), with the params on screen. */
export async function exportNumpy(api, run, trace, params, lr) {
  const { preset } = run;
  const script = await api.exportNumpy(exportBody(trace, preset, params, lr));
  download(`${preset.name}.py`, new Blob([script], { type: "text/x-python" }));
}
