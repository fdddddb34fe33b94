/**
 * The page's one state. Everything a scene shows is derived from one plain-JSON object:
 *   preset, step (the timeline cursor), k (the example), lr (the page's only η), speed,
 *   present (presenter mode), g (how an MLP is drawn), hide (numbers hidden until reached),
 *   scene (the open scene's own settings: the RNN's ρ, b, T and walk, the nudge's entry and δ,
 *   the training setup and its record, the graph editor's text, …; its shape is the scene's).
 * Changes flow one way: an action calls update() or setScene(), the store makes a new frozen
 * state, and every subscriber (the URL, the views, the scene) redraws from it. No module keeps
 * a second copy of a value: scenes read theirs through bindScene()'s accessors.
 *
 * What the server computed from the state (a run's traces, a session, a dataset's points) is
 * not state but a cache of it: requests are deterministic, so the state alone rebuilds them.
 * snapshot() is the one serialisation that a share link, a reload and a class following its
 * teacher restore from (fromSnapshot). Pure: no DOM.
 */

import { PROPS } from "./state.js";

export const SNAPSHOT_VERSION = 1;
// A bound on a snapshot's scene settings, so a crafted one cannot make the page allocate a lot.
const MAX_SCENE_CHARS = 200000;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function freeze(state) {
  return Object.freeze({ ...state, scene: state.scene === null ? null : Object.freeze({ ...state.scene }) });
}

/** `scene` with `patch` merged in; a key patched to undefined is removed. */
function mergeScene(scene, patch) {
  const out = { ...(scene ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}

export class Store {
  /** `state`: the URL's props (state.js) and the scene's settings (null: the scene's own). */
  constructor(state) {
    this.current = freeze({ scene: null, ...state });
    this.listeners = new Set();
  }

  get state() {
    return this.current;
  }

  /** Merges `patch` into the state's top level; listeners hear only a real change. */
  update(patch) {
    const previous = this.current;
    const next = freeze({ ...previous, ...patch });
    if (Object.keys(next).every((key) => next[key] === previous[key])) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next, previous);
  }

  /** Merges `patch` into the open scene's settings. */
  setScene(patch) {
    this.update({ scene: mergeScene(this.current.scene, patch) });
  }

  /** Calls `listener(state, previous)` after every change; returns a function that stops it. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The whole state as plain JSON, versioned (restored by fromSnapshot). */
  snapshot() {
    return JSON.parse(JSON.stringify({ v: SNAPSHOT_VERSION, ...this.current }));
  }
}

/**
 * A state from a snapshot: every prop parsed as a link's would be (an invalid value falls back
 * to its default, as in a mistyped link); the scene's settings kept for the scene to check.
 * Throws an Error naming the problem when it is not a snapshot this page reads.
 */
export function fromSnapshot(snapshot) {
  if (!isObject(snapshot)) throw new Error("a snapshot is a JSON object");
  if (snapshot.v !== SNAPSHOT_VERSION) {
    throw new Error(`snapshot version ${JSON.stringify(snapshot.v)} is not one this page reads (${SNAPSHOT_VERSION})`);
  }
  const state = {};
  for (const [name, { parse, fallback }] of Object.entries(PROPS)) {
    const raw = snapshot[name];
    state[name] = (raw === undefined || raw === null ? undefined : parse(String(raw))) ?? fallback;
  }
  const scene = snapshot.scene ?? null;
  if (scene !== null && (!isObject(scene) || JSON.stringify(scene).length > MAX_SCENE_CHARS)) {
    throw new Error(`a snapshot's scene is a JSON object of at most ${MAX_SCENE_CHARS} characters`);
  }
  state.scene = scene;
  return state;
}

/**
 * Gives `target` accessors for the scene settings `keys`: reading target[key] reads the
 * store's state.scene[key], assigning it calls setScene. A scene's working object then holds
 * no copy of its settings, and every assignment reaches the URL and the other views.
 */
export function bindScene(target, store, keys) {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      get: () => store.state.scene?.[key],
      set: (value) => store.setScene({ [key]: value }),
      enumerable: true,
      configurable: true,
    });
  }
  return target;
}
