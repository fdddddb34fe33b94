/** Tiny helpers to create SVG elements (the views build their subtree once, then update it). */

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes; `null`/`undefined` attributes are skipped. */
export function svgEl(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  if (parent) parent.appendChild(el);
  return el;
}

/** A text element holding `text`. */
export function svgText(text, attrs, parent) {
  const el = svgEl("text", attrs, parent);
  el.textContent = text;
  return el;
}

/** Path of the left (side = 0) or right (side = 1) half of a circle. */
export function halfCircle(cx, cy, r, side) {
  return `M ${cx} ${cy - r} A ${r} ${r} 0 0 ${side} ${cx} ${cy + r} Z`;
}
