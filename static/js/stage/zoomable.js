/**
 * An SVG whose drawing can be zoomed, panned and fitted through its viewBox (viewbox.js
 * does the arithmetic), with the controls of tools.js. Used by the main stage's op view
 * and by the graph editor's drawing.
 */

import { bindPanZoom, buildTools } from "./tools.js";
import { fitView, follow, panView, scaleOf, viewBoxText, ZOOM, zoomView } from "./viewbox.js";

export class Zoomable {
  /** `enabled()` says whether the svg currently shows this drawing (the main svg is shared). */
  constructor(svg, { onFold = null, onAllSteps = null, enabled = () => true } = {}) {
    this.svg = svg;
    this.view = null;
    this.dragged = false;
    this.size = { width: 1, height: 1 };
    this.tools = buildTools({
      zoomIn: () => this.zoomBy(ZOOM.step), zoomOut: () => this.zoomBy(1 / ZOOM.step), fit: () => this.fit(),
      fold: onFold, allSteps: onAllSteps,
    });
    bindPanZoom(svg, this, enabled);
  }

  aspect() {
    const r = this.svg.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? r.width / r.height : 2.5;
  }

  /** A new drawing of `width` × `height` units: fitted, or at `pxPerUnit` from its left end. */
  setDrawing(width, height, pxPerUnit = null) {
    this.size = { width, height };
    this.fit();
    if (pxPerUnit === null) return;
    const natural = this.svg.getBoundingClientRect().width / pxPerUnit;
    if (this.full.w > natural * 1.05) {
      const h = natural / this.aspect();
      this.setView({ x: 0, y: (height - h) / 2, w: natural, h });
    }
  }

  /** The drawing changed size (not the screen): the view stays where it is. */
  resize(width, height) {
    this.size = { width, height };
    this.full = fitView(width, height, this.aspect());
    if (this.view) this.setView(this.view);
  }

  setView(view) {
    this.view = view;
    this.svg.setAttribute("viewBox", viewBoxText(view));
    this.svg.dataset.scale = scaleOf(view, this.full).toFixed(4);
  }

  fit() {
    this.full = fitView(this.size.width, this.size.height, this.aspect());
    this.setView(this.full);
  }

  zoomBy(factor, px = this.view.x + this.view.w / 2, py = this.view.y + this.view.h / 2) {
    this.setView(zoomView(this.view, factor, px, py, this.full));
  }

  panBy(dx, dy) {
    this.setView(panView(this.view, dx, dy));
  }

  /** Moves the view the least needed to show `box` ({x, y, width, height}) with margins. */
  show(box, margin = 20, marginY = margin) {
    if (this.view) this.setView(follow(this.view, box, margin, marginY));
  }
}
