/**
 * Scene panels: each preset's `view` may name a module here that adds its own panel beside
 * the step-through stage (charts, sliders, editors). A scene module exports
 *   mount(root, ctx) -> { update?(view), pause?(), destroy?() }
 * where root is an empty <section> it owns, and ctx holds:
 *   api        the JSON client (api.js): a scene never calls fetch itself
 *   preset     the full preset answer; run the Run (run.js) whose session the stage uses
 *   store      the page's one state (store.js): the scene's settings are store.state.scene,
 *              written with setScene (or bindScene's accessors); at mount they are null (use
 *              the preset's own) or a link's / a snapshot's, to be checked field by field
 *              (linked.js); the URL's s= follows them
 *   linkError  a sentence when the link's s= could not be read, else null
 *   link       link.written(): the s= text the URL now carries
 *   eta        the page's one learning rate; claim the claim line; stage.follow the stage
 *   render()   redraws the main views
 * update(view) is called after every step with the main page's current view (see main.js).
 * Modules are imported only when their view is opened, so one scene's module never
 * slows down or breaks another's.
 */

// view name -> module path; add a line when a scene's module lands.
const SCENES = {
  graph: "./graph.js",
  conv: "./conv.js",
  training: "./training.js",
  "rnn-task": "./rnntask.js",
  nudge: "./nudge.js",
  hessian: "./hessian.js",
  rnn: "./rnn.js",
};

export function sceneModuleFor(view) {
  return SCENES[view] ?? null;
}

/** Mounts the scene of `preset.view` into `root` (emptied first); returns the handle or null. */
export async function mountScene(root, ctx) {
  root.replaceChildren();
  const path = sceneModuleFor(ctx.preset.view);
  root.hidden = path === null;
  root.dataset.scene = ctx.preset.view ?? "";
  if (path === null) return null;
  const module = await import(path);
  return module.mount(root, ctx) ?? null;
}
