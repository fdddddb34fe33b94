/**
 * Training you can watch: gradient descent on the preset's data, in chunks of steps per
 * request, with the loss curve, the decision boundary and each hidden unit redrawn live.
 *
 * The setup (hidden sizes, activation, weight seed, data, batch, clipping) and the record of
 * its training are the store's scene settings (train/setup.js): the working object `s` reads
 * and writes them through accessors (store.js bindScene), and η is the page's own (ctx.eta).
 * The rest of `s` is what the server computed from them (the session, the data's points, the
 * losses drawn) and the scene's own bookkeeping. TrainedNetwork (train/network.js) changes the
 * state through the API; TrainingView (train/view.js) draws it; the handlers here do one thing
 * each. The URL's `s=` follows the store, and a link rebuilds the same net and data from it and
 * replays the same training.
 *
 * The stage follows this panel's session (ctx.stage.follow): it shows and steps the
 * network being trained, refreshed while training runs and whenever it stops; an update
 * stepped on the stage is one more training step here.
 */

import { addLayer, chunkSteps, hiddenOf, removeLayer, resize } from "./train/arch.js";
import { grid2d, line1d } from "./train/grid.js";
import { buildPanel, renderArch, renderUnits, syncPanel } from "./train/panel.js";
import { REPLAY_CHUNK, TrainedNetwork } from "./train/network.js";
import { GRID, TrainingView } from "./train/view.js";
import { keepSteps, readSetup, setupOf } from "./train/setup.js";
import { bindScene } from "../store.js";
import { refusedOutOfRange } from "../views/refusal.js";

// While training runs, the stage is brought up to date at most this often.
const STAGE_EVERY_MS = 1000;

/** New weights change the lesson's run: measure the preset's claim with that seed and say
 * whether it still holds (the claim is stated for the preset's own seed and η). */
function checkSeed({ api, preset, claim }, seed, current, near) {
  near.textContent = "";
  if (!claim || seed === (preset.network.seed ?? 0)) return claim?.show(preset);
  near.textContent = `Checking the claim with weight seed ${seed}…`;
  return api.checkClaim(preset.name, { seed })
    .then((report) => current() === seed && claim.verdict(report, `With weight seed ${seed}`, near))
    .catch(() => { if (current() === seed) { near.textContent = ""; claim.show(preset); } });
}

// The scene's settings, kept in the store (the rest of `s` is derived or bookkeeping).
const SETUP_KEYS = ["hidden", "activation", "seed", "batch", "clip", "source", "dataset", "segments"];

/** The preset's own setup, before any edit or training. */
function defaultSetup(preset) {
  return setupOf({
    hidden: hiddenOf(preset.network.sizes), activation: preset.network.activation ?? "tanh",
    seed: preset.network.seed ?? 0, batch: 0, clip: false, source: "preset", segments: [],
    dataset: { ...(preset.dataset ?? { name: "moons", n: 200, noise: 0.1, seed: 0 }) },
  }, preset.name);
}

function initialState({ preset, eta, store }) {
  const s = {
    logY: true, running: false, token: 0, shownAt: 0, generation: 0,
    data: { x: preset.x, y: preset.y, loss: preset.network.loss }, session: null,
    published: 0, losses: [], steps: [], step: 0, units: {}, last: null, picked: null,
    divergence: null, chain: Promise.resolve(), rebuilt: Promise.resolve(),
  };
  // η is the page's one learning rate (the toolbar's field), not a copy of it.
  Object.defineProperty(s, "lr", { get: eta.get, set: eta.set, enumerable: true });
  return bindScene(s, store, SETUP_KEYS);
}

/** The scene: its state, its network and its view, and what each control sets off. */
class TrainingScene {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    // A link's (or a restored snapshot's) setup, if any; the store starts from the preset's.
    this.linked = ctx.store.state.scene;
    ctx.store.update({ scene: defaultSetup(ctx.preset) });
    this.s = initialState(ctx);
    const { q } = buildPanel(root, { batch: this.s.batch, activation: this.s.activation, dataset: this.s.dataset });
    this.q = q;
    this.net = new TrainedNetwork(ctx.api, ctx.preset, this.s, { onRebuilt: (session) => { root.dataset.session = session.id; } });
    this.view = new TrainingView(root, q, this.s);
    this.showError = (e) => this.view.error(e);
  }

  setRunning(on) {
    this.s.running = on;
    this.s.token += 1;
    this.view.running(on);
  }

  /** One rebuild at a time: two quick edits must not predict on a session just deleted. */
  newSession() {
    const make = () => this.makeSession();
    const next = this.s.rebuilt.then(make, make);
    this.s.rebuilt = next.catch(() => null);
    return next;
  }

  async makeSession() {
    const { s, q, root } = this;
    this.setRunning(false);
    const network = await this.net.create();
    root.dataset.session = s.session.id;
    root.dataset.network = JSON.stringify(network);
    this.showDivergence(null);
    renderArch(q("train-arch"), s.hidden, (i, d) => this.rebuild(() => (s.hidden = resize(s.hidden, i, d))));
    s.units = renderUnits(q("train-units"), s.data.x[0].length === 2 ? s.hidden : [], (l, j) => this.view.pickUnit(l, j));
    this.view.progress(undefined);
    await this.redraw();
    this.publish();
    await this.showOnStage();
  }

  /** The stage follows this panel's network, at its current parameters. */
  async showOnStage() {
    const { s, ctx } = this;
    if (!ctx.stage || s.gone) return;
    s.shownAt = performance.now();
    // Before any training the stage starts at step 1; after, at the trained network's f.
    const run = await ctx.stage.follow(s.session, {
      onUpdate: (update) => this.steppedOnStage(update), rebuild: () => this.net.rebuildLost(), atLoss: s.step > 0,
    });
    // An untrained network's f is the one the header shows, not a blank beside it.
    if (s.step === 0 && !s.gone) this.view.progress(run?.timeline.iterations[0]?.trace.loss);
  }

  steppedOnStage(update) {
    if (this.s.gone) return;
    this.net.recordStageStep(update);
    this.view.progress(update.loss_after);
    this.redraw().then(() => this.publish()).catch(this.showError);
  }

  /** Says what the URL's `s=` (written from the store) now reopens; the latest call wins. */
  async publish() {
    const { s } = this;
    const mine = ++s.published;
    const text = await this.ctx.link.written();
    if (mine !== s.published || s.gone) return;
    // Which step the URL now reopens (tests wait on it before copying the link).
    this.root.dataset.sharedStep = String(s.step);
    this.view.shareNote(text);
  }

  rebuild(change) {
    change();
    return this.newSession().catch(this.showError);
  }

  showDivergence(div) {
    this.s.divergence = div;
    this.view.divergence(div);
  }

  async redraw() {
    const { s } = this;
    const is2d = s.data.x[0].length === 2;
    const g = is2d ? grid2d(s.data.x, GRID) : line1d(s.data.x, 120);
    s.last = { g, is2d, pred: await this.net.predict(g.points) };
    this.view.prediction();
  }

  /** `steps` updates at `how` (the controls unless a link replays), then the readouts. */
  async trainChunk(steps, how = this.s) {
    const res = await this.net.train(steps, how);
    if (res) this.view.progress(res.final_loss);
    return res;
  }

  /** Sequential chunks, one frame apart: requests never overlap; a pause bumps the token. */
  async loop(token) {
    const { s, root } = this;
    const steps = chunkSteps(s.batch, s.data.x.length);
    root.dataset.busy = "true";
    try {
      while (s.running && token === s.token) {
        const res = await this.trainChunk(steps);
        if (!res) return;
        await this.redraw(); // even after a pause, so the boundary shows the latest params
        this.publish();
        this.showDivergence(res.divergence); // after the redraw: the diagnosis and the NaN boundary together
        if (res.divergence) {
          this.setRunning(false);
          break;
        }
        if (performance.now() - s.shownAt > STAGE_EVERY_MS) await this.showOnStage();
        await new Promise((r) => requestAnimationFrame(r));
      }
      await this.showOnStage(); // paused or diverged: the stage shows where training stopped
    } finally {
      root.dataset.busy = "false";
    }
  }

  toggleTraining() {
    const { s } = this;
    this.q("train-fix-note").textContent = "";
    this.setRunning(!s.running);
    // Chained: a resume waits for the paused loop's last request, so requests never overlap.
    const token = s.token;
    if (s.running) s.chain = s.chain.then(() => this.loop(token)).catch((e) => { this.setRunning(false); this.showError(e); });
  }

  async loadDataset() {
    const { s } = this;
    const d = s.dataset;
    s.data = await this.ctx.api.dataset(d.name, { n: d.n, noise: d.noise, seed: d.seed ?? 0 });
    this.setSource("dataset");
    this.view.error(null);
    await this.newSession();
  }

  async loadCsv(file) {
    const text = await file.text();
    const header = text.split(/\r?\n/)[0].split(",");
    const res = await this.ctx.api.csvDataset({ csv: text, target: header[header.length - 1].trim() });
    this.s.data = { x: res.x, y: res.y, loss: "mse" };
    this.setSource("csv");
    this.view.error(null);
    await this.newSession();
  }

  /** Where the points come from; an upload is itself part of the setup (a link carries it). */
  setSource(source) {
    this.s.source = source;
    this.ctx.store.setScene({ data: source === "csv" ? this.s.data : undefined });
  }

  /** A fix after a divergence: back to the last weights whose loss was finite (the run
   * replayed up to the step before the one that overflowed), then `change`; the user
   * trains on from there. */
  async fixFromLastFinite(change, what) {
    const { s } = this;
    const kept = keepSteps(s.segments, Math.max(0, s.divergence.absolute - 1));
    change();
    await this.newSession();
    await this.replay(kept);
    this.q("train-fix-note").textContent = `Back at step ${s.step}, the last weights with a finite loss; ${what}. Press ▶ Train to go on.`;
  }

  /** A link's setup: the same data and network, then the same training, replayed. */
  async restore(linked) {
    const { s, ctx } = this;
    let setup = null;
    try {
      setup = readSetup(linked, ctx.preset.name);
    } catch (err) {
      this.view.badLink(err.message);
      return this.newSession();
    }
    if (setup.lr !== undefined) s.lr = setup.lr; // a link from before the page had one η
    Object.assign(s, { hidden: setup.hidden, activation: setup.activation, seed: setup.seed,
      batch: setup.batch, clip: setup.clip });
    if (setup.source === "csv") s.data = setup.data;
    if (setup.source === "dataset") s.dataset = setup.dataset;
    this.setSource(setup.source);
    syncPanel(this.q, s);
    if (setup.source === "dataset") await this.loadDataset();
    else await this.newSession();
    await this.replay(setup.segments);
    return checkSeed(ctx, s.seed, () => s.seed, this.q("claim-verdict"));
  }

  async replay(segments) {
    let res = null;
    for (const [steps, lr, batch, clip] of segments) {
      for (let done = 0; done < steps && !res?.divergence; done += REPLAY_CHUNK) {
        res = await this.trainChunk(Math.min(REPLAY_CHUNK, steps - done), { lr, batch, clip: clip === 1 });
        if (!res) return;
      }
    }
    if (!res) return;
    await this.redraw();
    this.showDivergence(res.divergence);
    this.publish();
    await this.showOnStage();
  }

  /** Stops training and resolves once its last request has finished (the stage is about
   * to step the same session). */
  pause() {
    if (this.s.running) this.setRunning(false);
    return this.s.chain;
  }

  destroy() {
    this.s.gone = true;
    this.setRunning(false);
    this.view.destroy();
    if (this.s.session) this.ctx.api.deleteSession(this.s.session.id).catch(() => null);
  }
}

export function mount(root, ctx) {
  const scene = new TrainingScene(root, ctx);
  const unbind = bindPanel(scene);
  if (ctx.linkError) scene.view.badLink(ctx.linkError);
  const ready = (scene.linked ? scene.restore(scene.linked) : scene.newSession())
    .then(() => { root.dataset.ready = "true"; }).catch(scene.showError);
  return {
    ready,
    update() {},
    pause: () => scene.pause(),
    destroy() { unbind(); scene.destroy(); },
  };
}

/** The panel's controls: each writes the state and calls one action. Returns the unbinding. */
function bindPanel(scene) {
  const { root, q, s, ctx, view } = scene;
  const fail = scene.showError;
  q("train").onclick = () => scene.toggleTraining();
  const stopHearingEta = ctx.eta.onChange(() => scene.publish());
  q("train-batch").onchange = (e) => { s.batch = Number(e.target.value); scene.publish(); };
  q("train-clip").onchange = (e) => { s.clip = e.target.checked; scene.publish(); };
  q("train-logy").onchange = (e) => { s.logY = e.target.checked; view.rescale(); };
  q("train-activation").onchange = (e) => scene.rebuild(() => (s.activation = e.target.value));
  q("train-add-layer").onclick = () => scene.rebuild(() => (s.hidden = addLayer(s.hidden)));
  q("train-remove-layer").onclick = () => scene.rebuild(() => (s.hidden = removeLayer(s.hidden)));
  q("train-reset").onclick = () => scene.rebuild(() => (s.seed += 1))
    .then(() => checkSeed(ctx, s.seed, () => s.seed, q("claim-verdict")));
  const dataChange = (e) => {
    // A number out of its field's range is refused beside the field: [its name, the value kept].
    const numbers = { "train-n": ["n", s.dataset.n], "train-noise": ["noise", s.dataset.noise],
      "train-data-seed": ["data seed", s.dataset.seed ?? 0] };
    const field = numbers[e?.target?.dataset.testid];
    if (field && refusedOutOfRange(e.target, field[1], field[0])) return;
    s.dataset = { ...s.dataset, name: q("train-dataset").value, n: Number(q("train-n").value),
      noise: Number(q("train-noise").value), seed: Number(q("train-data-seed").value) };
    scene.loadDataset().catch(fail);
  };
  for (const id of ["train-dataset", "train-n", "train-noise", "train-data-seed"]) q(id).onchange = dataChange;
  q("train-csv").onchange = (e) => e.target.files[0] && scene.loadCsv(e.target.files[0]).catch(fail);
  q("train-export-png").onclick = () => view.exportBoundary(ctx.preset.name).catch(fail);
  q("train-fix-lr").onclick = () => scene.fixFromLastFinite(() => { s.lr /= 2; }, `η halved to ${s.lr / 2}`).catch(fail);
  q("train-fix-clip").onclick = () => scene.fixFromLastFinite(() => { s.clip = true; q("train-clip").checked = true; },
    "clipping ‖∇‖ ≤ 1 is on").catch(fail);
  // Space on a panel button presses it, as everywhere else; the page's own Space (play the
  // step-through) would otherwise catch it first on the document.
  const spaceIsClick = (e) => { if (e.key === " " && e.target instanceof HTMLButtonElement) e.stopPropagation(); };
  root.addEventListener("keydown", spaceIsClick);
  return () => { stopHearingEta(); root.removeEventListener("keydown", spaceIsClick); };
}
