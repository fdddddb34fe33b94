import { describeDetail } from "../../api.js";

/**
 * Pure helpers for the graph scenes: a node's gradient as the sum of its paths, and the
 * conv kernel's gradient as a running sum over patches. No DOM (tested with node --test).
 */

/** Elementwise a + b for numbers or nested arrays of equal shape. */
export function addArrays(a, b) {
  if (Array.isArray(a)) return a.map((x, i) => addArrays(x, b[i]));
  return a + b;
}

/** Running sums of the rows of a (J, K) array: entry j is Σ_{i≤j} rows[i]. */
export function runningSums(rows) {
  const out = [];
  rows.forEach((row, j) => out.push(j === 0 ? row.slice() : addArrays(out[j - 1], row)));
  return out;
}

/** The summands of every node read by several ops plus every param with several uses. */
export function pathSums(trace) {
  const sums = [];
  for (const [node, parts] of Object.entries(trace.branch_contributions ?? {})) {
    sums.push({ node, parts, total: trace.grads?.[node] });
  }
  for (const [param, parts] of Object.entries(trace.contributions ?? {})) {
    if (parts.length > 1 && !(param in (trace.branch_contributions ?? {}))) {
      sums.push({ node: param, parts, total: trace.param_grads?.[param] });
    }
  }
  return sums;
}

/** The 422 answer's first problem as "where: what", naming the field or node. */
export function describeError(detail) {
  const first = Array.isArray(detail) ? detail.slice(0, 1) : detail;
  return first === undefined || (Array.isArray(first) && !first.length) ? "invalid network" : describeDetail(first);
}

/** Adds graph.css once (the scene owns its style; the template is shared by many). */
export function ensureStyle(doc) {
  if (doc.querySelector("link[data-graph-css]")) return;
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.href = "/static/css/graph.css";
  link.dataset.graphCss = "";
  doc.head.append(link);
}
