/** The intro's claim line: the preset's lesson, and the verdict on a run a student changed. */

import { claimLine, verdict } from "../claim.js";

export class ClaimView {
  constructor(el) {
    this.el = el;
  }

  /** The preset's own claim (its runs are checked in CI). */
  show(preset) {
    this.el.textContent = claimLine(preset);
    this.el.dataset.kind = "claim";
  }

  /** The claim measured on a changed run: says so when the run contradicts it, here and
   * in `near` (the scene's element beside the control that changed the run). */
  verdict(report, what, near = null) {
    const v = verdict(report, what);
    this.el.textContent = `Claim: ${report.claim} ${v.text}`;
    for (const el of [this.el, near].filter(Boolean)) el.dataset.kind = v.kind;
    if (near) near.textContent = v.text;
  }
}
