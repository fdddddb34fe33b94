/**
 * The graph scene's settings as the store keeps them (state.scene), only once the user
 * has typed or run something (the preset's own text is rebuilt from the preset, never copied):
 *   text  the editor's text as typed
 *   run   the text of the network last run with Run (absent: the preset's own)
 * Pure: no DOM.
 */

import { readLinked } from "../linked.js";

// An editor's text a link may carry (the store bounds the whole scene too).
export const MAX_TEXT_CHARS = 50000;

/** One node (or one input) per line: readable and short enough to edit on a projector. */
export function compactJson({ network, inputs }) {
  const nodes = network.nodes.map((n) => `    ${JSON.stringify(n)}`).join(",\n");
  const ins = Object.entries(inputs ?? {}).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n");
  const { nodes: _, ...rest } = network;
  const head = JSON.stringify(rest).slice(1, -1);
  return `{\n  "network": {${head},\n   "nodes": [\n${nodes}\n  ]},\n  "inputs": {\n${ins}\n  }\n}`;
}

const isText = (v) => (typeof v === "string" && v.length <= MAX_TEXT_CHARS ? null
  : `is not a text of at most ${MAX_TEXT_CHARS} characters`);

/** What the scene opens with: {scene, notice}; scene {} is the preset's own network. */
export function openingScene(linked, linkError) {
  return readLinked(linked, {}, { text: isText, run: isText }, linkError);
}
