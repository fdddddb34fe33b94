/**
 * The fixes' sub-panels (clipping, truncation, RNN-vs-LSTM comparison), each its own
 * module under rnn/ exporting mount(root, {api, preset, store}) -> {update(network, trace),
 * destroy()}. A panel's settings are the store's (fixes/settings.js): it reads and writes
 * them there and follows their changes until destroyed. A panel is imported only when the
 * preset asks for it; one that is missing or fails to load is left out quietly, so the
 * chart never depends on it.
 */

import { hasClip, hasTruncate } from "./fixes/settings.js";

const PANELS = [
  { module: "./clipping.js", wanted: hasClip },
  { module: "./truncation.js", wanted: hasTruncate },
  { module: "./compare.js", wanted: (preset) => preset.compare != null },
];

/** Mounts the wanted panels into `host` in order; resolves to their handles. */
export async function mountPanels(host, ctx) {
  const handles = [];
  for (const panel of PANELS.filter((p) => p.wanted(ctx.preset))) {
    const root = document.createElement("div");
    root.className = "rnn-subpanel";
    root.dataset.panel = panel.module.slice(2, -3);
    host.append(root);
    try {
      const module = await import(panel.module);
      handles.push(module.mount(root, ctx) ?? {});
    } catch {
      // Not there yet (or broken): this panel is simply not shown.
      root.remove();
    }
  }
  return handles;
}
