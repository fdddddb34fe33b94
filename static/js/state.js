/**
 * The page's settings that belong in a share link: a typed props table that round-trips
 * through the URL query (?preset=tanh-mlp&k=2&lr=0.05&speed=2). Pure: no DOM.
 * The recorded run itself lives in the Timeline; this is only what a link should restore.
 */

import { DEFAULTS, PLAYER } from "./config.js";

const positiveNumber = (text) => {
  const v = Number(text);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

const nonNegativeInteger = (text) => {
  const v = Number(text);
  return Number.isInteger(v) && v >= 0 && v <= 100000 ? v : undefined;
};

export const PROPS = Object.freeze({
  preset: { parse: (t) => (/^[a-z0-9-]{1,64}$/.test(t) ? t : undefined), fallback: DEFAULTS.preset },
  k: { parse: (t) => { const v = Number(t); return Number.isInteger(v) && v >= 1 ? v : undefined; }, fallback: DEFAULTS.example },
  lr: { parse: positiveNumber, fallback: DEFAULTS.lr },
  speed: { parse: (t) => { const v = Number(t); return PLAYER.speeds.includes(v) ? v : undefined; }, fallback: PLAYER.defaultSpeed },
  // The timeline cursor: a link reopens the same step by replaying the (deterministic) run.
  step: { parse: nonNegativeInteger, fallback: 0 },
  present: { parse: (t) => (t === "1" ? 1 : t === "0" ? 0 : undefined), fallback: 0 },
  // How an MLP is drawn: neuron by neuron (the default) or op by op (g=ops).
  g: { parse: (t) => (t === "ops" || t === "neurons" ? t : undefined), fallback: "neurons" },
  // Hide numbers until reached: a value not yet computed at this step stays blank (hide=1).
  hide: { parse: (t) => (t === "1" ? 1 : t === "0" ? 0 : undefined), fallback: 0 },
});

/** Props from a query string; a missing or invalid value falls back to its default. */
export function parseProps(search) {
  const params = new URLSearchParams(search);
  const out = {};
  for (const [name, { parse, fallback }] of Object.entries(PROPS)) {
    const raw = params.get(name);
    const parsed = raw === null ? undefined : parse(raw);
    out[name] = parsed ?? fallback;
  }
  return out;
}

/** The query string of `props`, leaving out the values equal to their default. */
export function serializeProps(props) {
  const params = new URLSearchParams();
  for (const [name, { fallback }] of Object.entries(PROPS)) {
    if (props[name] !== undefined && props[name] !== fallback) params.set(name, String(props[name]));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
