/**
 * Training you can watch: gradient descent on the preset's data, in chunks of steps per
 * request, with the loss curve, the decision boundary and each hidden unit redrawn live.
 *
 * The panel owns the session it trains (made from the preset's network and data, and
 * again after every edit), and the stage follows it (ctx.stage.follow): the stage shows
 * and steps the network being trained, at its current f, refreshed while training runs
 * and whenever it stops. An update stepped on the stage is one more training step here.
 * Every edit and every trained chunk is written to the URL's `s=` (train/setup.js), and a
 * link carrying one rebuilds the same net and data and replays the same training.
 */

import { maxAbs } from "../colour.js";
import { exportCanvasPng } from "../export.js";
import { addLayer, chunkSteps, hiddenOf, removeLayer, resize, sessionBody } from "./train/arch.js";
import { boundaryColour, drawCurve, drawPoints, paintHeat } from "./train/draw.js";
import { checksum, column, grid2d, line1d, score } from "./train/grid.js";
import { buildPanel, renderArch, renderUnits, syncPanel } from "./train/panel.js";
import { divergenceStep } from "./train/diverge.js";
import { makeChart, plotted } from "./train/chart.js";
import { addSegment, keepSteps, readSetup, setupOf } from "./train/setup.js";
import { decodeShare, encodeShare } from "../share.js";

const GRID = 40;
// While training runs, the stage is brought up to date at most this often.
const STAGE_EVERY_MS = 1000;
// Steps per /train request when a link replays its training (well under the server's cap).
const REPLAY_CHUNK = 5000;
const CAPTION = "the net's output over the plane: blue region and ● class 0, orange region and ■ class 1";

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

export function mount(root, ctx) {
  const { api, preset } = ctx;
  const s = {
    batch: 0, clip: false, logY: true, running: false, token: 0, shownAt: 0, generation: 0,
    hidden: hiddenOf(preset.network.sizes), activation: preset.network.activation ?? "tanh",
    seed: preset.network.seed ?? 0, dataset: { ...(preset.dataset ?? { name: "moons", n: 200, noise: 0.1, seed: 0 }) },
    data: { x: preset.x, y: preset.y, loss: preset.network.loss }, session: null, source: "preset",
    segments: [], published: 0, losses: [], steps: [], step: 0, units: {}, last: null, picked: null, chain: Promise.resolve(), rebuilt: Promise.resolve(),
  };
  // η is the page's one learning rate (the toolbar's field), not a copy of it.
  Object.defineProperty(s, "lr", { get: ctx.eta.get, set: ctx.eta.set, enumerable: true });
  const { q } = buildPanel(root, { batch: s.batch, activation: s.activation, dataset: s.dataset });
  let chart = makeChart(q("train-loss-chart"), s.logY);

  const setRunning = (on) => {
    s.running = on;
    s.token += 1;
    q("train").textContent = on ? "❚❚ Pause" : "▶ Train";
    q("train").setAttribute("aria-pressed", String(on));
    root.dataset.running = String(on);
  };

  /** One rebuild at a time: two quick edits must not predict on a session just deleted. */
  function newSession() {
    const next = s.rebuilt.then(makeSession, makeSession);
    s.rebuilt = next.catch(() => null);
    return next;
  }

  async function makeSession() {
    setRunning(false);
    const body = sessionBody(preset.network, s, s.data);
    const session = await api.createSession(body);
    if (s.session) api.deleteSession(s.session.id).catch(() => null);
    s.session = session;
    s.generation += 1;
    root.dataset.session = session.id;
    root.dataset.network = JSON.stringify(body.network);
    s.losses = [];
    s.steps = [];
    s.step = 0;
    s.segments = [];
    showDivergence(null);
    renderArch(q("train-arch"), s.hidden, (i, d) => rebuild(() => (s.hidden = resize(s.hidden, i, d))));
    s.units = renderUnits(q("train-units"), s.data.x[0].length === 2 ? s.hidden : [], pickUnit);
    q("train-step").textContent = "0";
    q("train-loss").textContent = "–";
    chart.setData([[], []]);
    await redraw();
    publish();
    await showOnStage();
  }

  /** The stage follows this panel's network, at its current parameters. */
  async function showOnStage() {
    if (!ctx.stage || s.gone) return;
    s.shownAt = performance.now();
    // Before any training the stage starts at step 1; after, at the trained network's f.
    await ctx.stage.follow(s.session, { onUpdate: steppedOnStage, rebuild: rebuildLost, atLoss: s.step > 0 });
  }

  /** call(session id); when the server no longer knows the session (404), it is made again
   * and the call repeated, so a restart or an expiry never shows as a raw error. */
  async function onSession(call) {
    try {
      return await call(s.session.id);
    } catch (err) {
      if (err.status !== 404) throw err;
      return call((await rebuildLost()).id);
    }
  }

  /** The same network and data in a new session, with this run's training replayed (the
   * record is deterministic: the same weights, step and loss). */
  async function rebuildLost() {
    const session = await api.createSession(sessionBody(preset.network, s, s.data));
    for (const [steps, lr, batch, clip] of s.segments) {
      for (let done = 0; done < steps; done += REPLAY_CHUNK) {
        const res = await api.train(session.id, trainBody(Math.min(REPLAY_CHUNK, steps - done), { lr, batch, clip: clip === 1 }));
        if (res.divergence) break;
      }
    }
    s.session = session;
    root.dataset.session = session.id;
    return session;
  }

  function trainBody(steps, how) {
    const body = { steps, lr: how.lr, seed: s.seed };
    if (how.batch > 0) body.batch_size = how.batch;
    if (how.clip) body.clip = { mode: "norm", max_norm: 1.0, norm_type: 2 };
    return body;
  }

  /** An update stepped on the stage (full batch, the page's η, no clipping): one more
   * step of this run, recorded so that a link replays it too. */
  function steppedOnStage(update) {
    if (s.gone) return;
    s.steps.push(s.step);
    s.losses.push(Number.isFinite(update.loss) && update.loss > 0 ? update.loss : null);
    s.segments = addSegment(s.segments, 1, update.lr, 0, false);
    s.step = update.step;
    showProgress(update.loss_after);
    redraw().then(publish).catch(showError);
  }

  function showProgress(loss) {
    q("train-step").textContent = String(s.step);
    q("train-loss").textContent = Number.isFinite(loss) ? loss.toPrecision(4) : String(loss);
    q("train-loss").dataset.value = String(loss);
    chart.setData([s.steps, plotted(s.losses, s.logY)]);
    q("train-loss-chart").dataset.points = JSON.stringify({ count: s.steps.length, last_step: s.steps.at(-1) ?? null });
  }

  /** Writes the setup into the page's URL (the `s=` parameter); the latest call wins. */
  async function publish() {
    const mine = ++s.published;
    const text = await encodeShare(setupOf(s, preset.name));
    if (mine !== s.published || s.gone) return;
    ctx.share?.set(text);
    // Which step the URL now reopens (tests wait on it before copying the link).
    root.dataset.sharedStep = String(s.step);
    const note = q("train-share-note");
    if (text === null) note.textContent = "The uploaded data is too large for a link: a copied link will not reopen it.";
    // A bad link's message stays until the user changes something.
    else if (s.segments.length || note.dataset.kind !== "link") note.textContent = "";
    note.dataset.kind = text === null ? "size" : note.dataset.kind;
  }

  const rebuild = (change) => { change(); return newSession().catch(showError); };
  const showError = (e) => { q("train-csv-error").textContent = e.reason ?? e.message; };

  function showDivergence(div) {
    s.divergence = div;
    const box = q("divergence");
    box.hidden = !div;
    root.dataset.diverged = String(Boolean(div));
    // Training on from NaN weights only repeats the diagnosis: a fix starts a new session.
    q("train").disabled = Boolean(div);
    if (!div) {
      root.querySelector(".train-boundary figcaption").textContent = CAPTION;
      return;
    }
    root.querySelector(".train-boundary figcaption").textContent =
      "the net's output is non-finite (NaN) everywhere: the weights overflowed";
    box.dataset.node = div.first_nonfinite_value ?? div.first_nonfinite_grad_before ?? "";
    box.dataset.step = String(div.absolute ?? div.step);
    // The server counts steps within one request; the page counts from the start of the run.
    q("train-divergence-message").textContent = div.message.replace(`at step ${div.step}`, `at step ${div.absolute ?? div.step}`);
  }

  async function redraw() {
    const x = s.data.x;
    const is2d = x[0].length === 2;
    const g = is2d ? grid2d(x, GRID) : line1d(x, 120);
    const pred = await onSession((id) => api.predict(id, { x: g.points }));
    s.last = { g, pred };
    const canvas = q("train-boundary");
    canvas.dataset.checksum = String(checksum(pred.output));
    canvas.dataset.grid = JSON.stringify(is2d ? { size: GRID, ...g.bounds } : { n: 120, ...g.bounds });
    paintBoundary(canvas);
    if (is2d) drawUnits(pred);
  }

  /** The boundary (or the 1-D fit) of the last prediction onto `canvas`, at any size. */
  function paintBoundary(canvas) {
    const { g, pred } = s.last;
    const { x, y } = s.data;
    if (x[0].length !== 2) return drawCurve(canvas, x, y, g, pred.output);
    const multi = pred.output[0].length > 1;
    const scores = pred.output.map((row, k) => score(row, pred.probability?.[k]));
    paintHeat(canvas, scores, GRID, 0.5, boundaryColour(multi));
    drawPoints(canvas, g.bounds, x, y);
  }

  /** The boundary redrawn at twice the on-screen canvas, sharp on a projector or a slide. */
  function exportBoundary() {
    const c = q("train-boundary");
    const big = Object.assign(document.createElement("canvas"), { width: 2 * c.width, height: 2 * c.height });
    if (s.last) paintBoundary(big);
    return exportCanvasPng(big, `${preset.name}-boundary`);
  }

  function drawUnits(pred) {
    for (const [key, c] of Object.entries(s.units)) {
      const [layer, j] = key.split(":");
      const values = column(pred.layers[layer] ?? [], Number(j));
      paintHeat(c, values, GRID, maxAbs(values) || 1);
    }
    if (s.picked) pickUnit(...s.picked);
  }

  function pickUnit(layer, j) {
    if (!s.last) return;
    s.picked = [layer, j];
    const big = q("train-unit-big");
    big.hidden = false;
    big.dataset.unit = `${layer}:${j}`;
    const values = column(s.last.pred.layers[layer], j);
    paintHeat(big, values, GRID, maxAbs(values) || 1);
  }

  /** `steps` updates at `how` = {lr, batch, clip} (the controls unless a link replays). */
  async function trainChunk(steps, how = s) {
    const generation = s.generation;
    const res = await onSession((id) => api.train(id, trainBody(steps, how)));
    // An edit made a new session meanwhile: this answer belongs to the old one.
    if (s.generation !== generation) return null;
    // Steps attempted, not kept: a replay must reach the step that diverged (the server
    // drops that step's update, so res.step stops one short of it).
    s.segments = addSegment(s.segments, res.loss_history.length, how.lr, how.batch, how.clip);
    if (res.divergence) res.divergence = { ...res.divergence, absolute: divergenceStep(res, s.step) };
    // The curve ends at the last finite loss: nothing after a divergence is plotted.
    const finite = res.divergence ? res.divergence.absolute - s.step : res.loss_history.length;
    res.loss_history.slice(0, finite).forEach((f, i) => {
      s.steps.push(s.step + i);
      s.losses.push(Number.isFinite(f) && f > 0 ? f : null);
    });
    s.step = res.step;
    showProgress(res.final_loss);
    return res;
  }

  /** Sequential chunks, one frame apart: requests never overlap; a pause bumps the token. */
  async function loop(token) {
    const steps = chunkSteps(s.batch, s.data.x.length);
    root.dataset.busy = "true";
    try {
      while (s.running && token === s.token) {
        const res = await trainChunk(steps);
        if (!res) return;
        // Redraw even after a pause, so the boundary always shows the latest params.
        await redraw();
        publish();
        // Shown after the redraw, so the diagnosis and the NaN boundary appear together.
        showDivergence(res.divergence);
        if (res.divergence) {
          setRunning(false);
          break;
        }
        if (performance.now() - s.shownAt > STAGE_EVERY_MS) await showOnStage();
        await new Promise((r) => requestAnimationFrame(r));
      }
      await showOnStage(); // paused or diverged: the stage shows where training stopped
    } finally {
      root.dataset.busy = "false";
    }
  }

  async function loadDataset() {
    const d = s.dataset;
    const data = await api.dataset(d.name, { n: d.n, noise: d.noise, seed: d.seed ?? 0 });
    s.data = data;
    s.source = "dataset";
    q("train-csv-error").textContent = "";
    await newSession();
  }

  async function loadCsv(file) {
    try {
      const text = await file.text();
      const header = text.split(/\r?\n/)[0].split(",");
      const res = await api.csvDataset({ csv: text, target: header[header.length - 1].trim() });
      s.data = { x: res.x, y: res.y, loss: "mse" };
      s.source = "csv";
      q("train-csv-error").textContent = "";
      await newSession();
    } catch (e) {
      showError(e);
    }
  }

  q("train").onclick = () => {
    q("train-fix-note").textContent = "";
    setRunning(!s.running);
    // Chained: a resume waits for the paused loop's last request, so requests never overlap.
    const token = s.token;
    if (s.running) s.chain = s.chain.then(() => loop(token)).catch((e) => { setRunning(false); showError(e); });
  };
  const stopHearingEta = ctx.eta.onChange(() => publish());
  q("train-batch").onchange = (e) => { s.batch = Number(e.target.value); publish(); };
  q("train-clip").onchange = (e) => { s.clip = e.target.checked; publish(); };
  q("train-logy").onchange = (e) => { s.logY = e.target.checked; chart.destroy(); chart = makeChart(q("train-loss-chart"), s.logY); chart.setData([s.steps, plotted(s.losses, s.logY)]); };
  q("train-activation").onchange = (e) => rebuild(() => (s.activation = e.target.value));
  q("train-add-layer").onclick = () => rebuild(() => (s.hidden = addLayer(s.hidden)));
  q("train-remove-layer").onclick = () => rebuild(() => (s.hidden = removeLayer(s.hidden)));
  q("train-reset").onclick = () => rebuild(() => (s.seed += 1)).then(() => checkSeed(ctx, s.seed, () => s.seed, q("claim-verdict")));
  const dataChange = () => {
    s.dataset = { ...s.dataset, name: q("train-dataset").value, n: Number(q("train-n").value), noise: Number(q("train-noise").value), seed: Number(q("train-data-seed").value) };
    loadDataset().catch(showError);
  };
  for (const id of ["train-dataset", "train-n", "train-noise", "train-data-seed"]) q(id).onchange = dataChange;
  q("train-csv").onchange = (e) => e.target.files[0] && loadCsv(e.target.files[0]);
  q("train-export-png").onclick = () => exportBoundary().catch(showError);
  /** A fix after a divergence: back to the last weights whose loss was finite (the run
   * replayed up to the step before the one that overflowed), then `change`; the user
   * trains on from there. */
  async function fixFromLastFinite(change, what) {
    const lastFinite = Math.max(0, s.divergence.absolute - 1);
    const kept = keepSteps(s.segments, lastFinite);
    change();
    await newSession();
    await replay(kept);
    q("train-fix-note").textContent = `Back at step ${s.step}, the last weights with a finite loss; ${what}. Press ▶ Train to go on.`;
  }
  q("train-fix-lr").onclick = () => fixFromLastFinite(() => { s.lr /= 2; }, `η halved to ${s.lr / 2}`).catch(showError);
  q("train-fix-clip").onclick = () => fixFromLastFinite(() => { s.clip = true; q("train-clip").checked = true; },
    "clipping ‖∇‖ ≤ 1 is on").catch(showError);

  /** A link's setup: the same data and network, then the same training, replayed. */
  async function restore(text) {
    const shared = await decodeShare(text);
    let setup = null;
    try {
      if (shared.error) throw new Error(shared.error);
      setup = readSetup(shared.setup, preset.name);
    } catch (err) {
      q("train-share-note").dataset.kind = "link";
      q("train-share-note").textContent = `This link's training setup could not be read: ${err.message}. Showing the scene's own setup.`;
      return newSession();
    }
    Object.assign(s, { hidden: setup.hidden, activation: setup.activation, seed: setup.seed, lr: setup.lr,
      batch: setup.batch, clip: setup.clip === 1, source: setup.source });
    if (setup.source === "csv") s.data = setup.data;
    if (setup.source === "dataset") s.dataset = setup.dataset;
    syncPanel(q, s);
    if (setup.source === "dataset") await loadDataset();
    else await newSession();
    await replay(setup.segments);
    checkSeed(ctx, s.seed, () => s.seed, q("claim-verdict"));
  }

  async function replay(segments) {
    let res = null;
    for (const [steps, lr, batch, clip] of segments) {
      for (let done = 0; done < steps && !res?.divergence; done += REPLAY_CHUNK) {
        res = await trainChunk(Math.min(REPLAY_CHUNK, steps - done), { lr, batch, clip: clip === 1 });
        if (!res) return;
      }
    }
    if (!res) return;
    await redraw();
    showDivergence(res.divergence);
    publish();
    await showOnStage();
  }

  // Space on a panel button presses it, as everywhere else; the page's own Space (play the
  // step-through) would otherwise catch it first on the document.
  const spaceIsClick = (e) => { if (e.key === " " && e.target instanceof HTMLButtonElement) e.stopPropagation(); };
  root.addEventListener("keydown", spaceIsClick);

  const ready = (ctx.share?.initial ? restore(ctx.share.initial) : newSession())
    .then(() => { root.dataset.ready = "true"; }).catch(showError);
  return {
    ready,
    update() {},
    /** Stops training and resolves once its last request has finished (the stage is about
     * to step the same session). */
    pause() {
      if (s.running) setRunning(false);
      return s.chain;
    },
    destroy() { s.gone = true; stopHearingEta(); root.removeEventListener("keydown", spaceIsClick); setRunning(false); chart.destroy(); if (s.session) api.deleteSession(s.session.id).catch(() => null); },
  };
}
