/**
 * A preset's lesson as the page states it: the claim (its text comes with the preset), and
 * the verdict of `POST /presets/{name}/check` on a run a student changed. Pure: no DOM.
 */

import { formatNumber } from "./format.js";

/** "Claim: …" for the intro line, or "" when the preset states none. */
export function claimLine(preset) {
  return preset?.claim ? `Claim: ${preset.claim}` : "";
}

function measured(m) {
  return `${m.name}: ${formatNumber(m.value, 4)} (needs ${m.sense} ${formatNumber(m.bar, 4)})`;
}

/**
 * {kind: "holds" | "contradicts", text} for a check report: a run that misses a bar is
 * named as contradicting the claim, with the measures it missed, instead of pretending.
 */
export function verdict(report, what) {
  const missed = report.measures.filter((m) => !m.holds);
  if (missed.length === 0) {
    return { kind: "holds", text: `✓ ${what}: the claim holds — ${report.measures.map(measured).join("; ")}.` };
  }
  return { kind: "contradicts",
    text: `✗ ${what}, this run contradicts the claim — ${missed.map(measured).join("; ")}.` };
}
