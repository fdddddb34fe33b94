/** The op view's box, in drawing units: one op box and the margin around the drawing. */
export const BOX = Object.freeze({ width: 120, height: 54, margin: 30 });
