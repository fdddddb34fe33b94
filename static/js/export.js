/**
 * Downloads of what is on screen: the graph as SVG (with computed styles inlined, so it
 * looks the same outside the page), the recorded trace as JSON, and the run as a
 * standalone NumPy script from the API (with the current params, so it reproduces
 * the numbers shown).
 */

import { encodeNonfinite } from "./api.js";

function download(name, blob) {
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

const STYLE_PROPS = ["fill", "stroke", "stroke-width", "opacity", "font-size", "font-family", "font-weight"];

/** The stage SVG as text, each element carrying its computed style. */
export function svgText(svg) {
  const copy = svg.cloneNode(true);
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

export function exportTrace(run) {
  const body = encodeNonfinite({ preset: run.preset.name, iterations: run.timeline.iterations });
  download(`${run.preset.name}-trace.json`, new Blob([body], { type: "application/json" }));
}

/** The NumPy script of the current network (MLP only), with the params on screen. */
export async function exportNumpy(run, params, lr) {
  const { preset } = run;
  const body = { network: { ...preset.network, params }, x: preset.x, y: preset.y, lr, steps: 1 };
  const response = await fetch("/api/v1/export/numpy", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`NumPy export: ${response.status} ${await response.text()}`);
  download(`${preset.name}.py`, new Blob([await response.text()], { type: "text/x-python" }));
}
