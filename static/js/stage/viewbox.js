/**
 * Zoom and pan of an SVG by its viewBox: what is visible is the rectangle {x, y, w, h}
 * of the drawing. Pure arithmetic (no DOM) so it can be tested: zooming keeps the point
 * under the cursor fixed, fitting shows the whole drawing, following moves the view the
 * least needed to bring a box into it.
 */

export const ZOOM = Object.freeze({ min: 0.05, max: 8, step: 1.25 });

/** The whole drawing of size (width, height), at the aspect of the screen box. */
export function fitView(width, height, aspect) {
  const w = Math.max(width, height * aspect);
  const h = w / aspect;
  return { x: (width - w) / 2, y: (height - h) / 2, w, h };
}

/** Zoomed by `factor` (> 1: closer) around the drawing point (px, py). */
export function zoomView(view, factor, px, py, full) {
  const scale = full.w / (view.w / factor);
  if (scale < ZOOM.min || scale > ZOOM.max) return view;
  const w = view.w / factor;
  const h = view.h / factor;
  return { x: px - (px - view.x) / factor, y: py - (py - view.y) / factor, w, h };
}

export function panView(view, dx, dy) {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/**
 * The view moved (not zoomed) so that the box {x, y, width, height} sits inside it, with
 * `margin` to spare left and right (room to see what comes next) and `marginY` above and below.
 */
export function follow(view, box, margin = 20, marginY = margin) {
  let { x, y } = view;
  if (box.x - margin < x) x = box.x - margin;
  else if (box.x + box.width + margin > x + view.w) x = box.x + box.width + margin - view.w;
  if (box.y - marginY < y) y = box.y - marginY;
  else if (box.y + box.height + marginY > y + view.h) y = box.y + box.height + marginY - view.h;
  return { ...view, x, y };
}

export const viewBoxText = (v) => `${v.x} ${v.y} ${v.w} ${v.h}`;

/** The scale of a view against the fitted one (1 = fitted). */
export const scaleOf = (view, full) => full.w / view.w;
