/** The training panel's DOM: controls, chart slot, boundary canvas, units, diagnosis. */

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "testid") node.dataset.testid = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function select(testid, label, options, value) {
  const s = el("select", { testid, "aria-label": label });
  for (const [v, text] of options) s.append(el("option", { value: v }, text));
  s.value = String(value);
  return el("label", {}, label + " ", s);
}

export const DATASETS = ["moons", "circles", "xor", "spirals", "blobs", "sine", "step"];
export const ACTIVATIONS = ["tanh", "relu", "leaky_relu", "sigmoid", "softplus", "identity"];
export const BATCHES = [0, 8, 16, 32, 64, 128];

/** Builds the panel into `root`; returns the elements the scene wires up. */
export function buildPanel(root, init) {
  const q = (id) => root.querySelector(`[data-testid="${id}"]`);
  root.classList.add("training");
  root.append(
    el("div", { class: "train-bar" },
      el("button", { testid: "train", type: "button", title: "Train with the toolbar's learning rate η" }, "▶ Train"),
      el("span", { class: "train-step" }, "step ", el("output", { testid: "train-step" }, "0")),
      el("span", { class: "train-loss" }, "f = ", el("output", { testid: "train-loss" }, "–")),
      select("train-batch", "batch", BATCHES.map((b) => [b, b ? String(b) : "full"]), init.batch),
      el("label", {}, el("input", { testid: "train-clip", type: "checkbox" }), " clip ‖∇‖ ≤ 1"),
      el("label", {}, el("input", { testid: "train-logy", type: "checkbox", checked: "" }), " log y"),
      el("button", { testid: "train-export-png", type: "button", title: "The decision boundary as a PNG, twice its size", "aria-label": "Boundary as PNG" }, "PNG")),
    el("div", { class: "train-bar" },
      select("train-activation", "activation", ACTIVATIONS.map((a) => [a, a]), init.activation),
      el("span", { testid: "train-arch", class: "train-arch" }),
      el("button", { testid: "train-add-layer", type: "button" }, "+ layer"),
      el("button", { testid: "train-remove-layer", type: "button" }, "− layer"),
      el("button", { testid: "train-reset", type: "button", title: "Draw new initial weights (the next weight seed)" }, "New weights")),
    el("p", { testid: "claim-verdict", class: "claim-verdict", "aria-live": "polite" }),
    el("div", { class: "train-bar" },
      select("train-dataset", "data", DATASETS.map((d) => [d, d]), init.dataset.name),
      el("label", {}, "n ", el("input", { testid: "train-n", type: "number", min: "4", max: "1000", value: String(init.dataset.n) })),
      el("label", {}, "noise ", el("input", { testid: "train-noise", type: "number", step: "0.05", min: "0", value: String(init.dataset.noise) })),
      el("label", {}, "seed ", el("input", { testid: "train-data-seed", type: "number", step: "1", min: "0", value: String(init.dataset.seed ?? 0) })),
      el("label", { class: "train-csv" }, "upload CSV ", el("input", { testid: "train-csv", type: "file", accept: ".csv,text/csv" })),
      el("output", { testid: "train-csv-error", class: "train-error", role: "alert" })),
    el("p", { testid: "train-share-note", class: "train-note", role: "status" }),
    el("div", { testid: "divergence", class: "train-divergence", role: "alert", hidden: "" },
      el("strong", {}, "Training diverged: "), el("span", { testid: "train-divergence-message" }),
      el("button", { testid: "train-fix-lr", type: "button" }, "Halve η"),
      el("button", { testid: "train-fix-clip", type: "button" }, "Turn on clipping")),
    el("p", { testid: "train-fix-note", class: "train-note", role: "status" }),
    el("div", { class: "train-views" },
      el("figure", { class: "train-boundary" },
        el("canvas", { testid: "train-boundary", width: "480", height: "480", "aria-label": "Decision boundary" }),
        el("figcaption", {}, "the net's output over the plane: blue region and ● class 0, orange region and ■ class 1")),
      el("div", { class: "train-side" },
        el("div", { testid: "train-loss-chart", class: "train-chart" }),
        el("p", { class: "train-units-title" }, "what each hidden unit computes (click to enlarge)"),
        el("div", { class: "train-units-wrap" },
          el("div", { testid: "train-units", class: "train-units" }),
          el("canvas", { testid: "train-unit-big", width: "200", height: "200", hidden: "", role: "img", "aria-label": "The picked unit, enlarged" })))),
  );
  return { q };
}

/** The +/− buttons of each hidden layer, re-rendered when the architecture changes. */
export function renderArch(span, hidden, onResize) {
  span.replaceChildren("hidden: ");
  hidden.forEach((n, i) => {
    const minus = el("button", { type: "button", testid: `train-units-minus-${i}`, "aria-label": `fewer units in layer ${i + 1}` }, "−");
    const plus = el("button", { type: "button", testid: `train-units-plus-${i}`, "aria-label": `more units in layer ${i + 1}` }, "+");
    minus.onclick = () => onResize(i, -1);
    plus.onclick = () => onResize(i, +1);
    span.append(el("span", { class: "train-layer" }, minus, el("b", {}, String(n)), plus));
  });
}

/** One thumbnail per hidden unit, grouped by layer; returns the canvases by "a1:0". */
export function renderUnits(box, hidden, onPick) {
  box.replaceChildren();
  const canvases = {};
  hidden.forEach((n, i) => {
    const row = el("div", { class: "train-unit-row" }, el("span", {}, `a${i + 1}`));
    for (let j = 0; j < n; j++) {
      const c = el("canvas", { width: "48", height: "48", testid: `train-unit-a${i + 1}-${j}`, title: `unit ${j + 1} of a${i + 1}`,
        tabindex: "0", role: "button", "aria-label": `Enlarge unit ${j + 1} of a${i + 1}` });
      c.onclick = () => onPick(`a${i + 1}`, j);
      // A button by role must answer Enter and Space; Space must not also start the player.
      c.onkeydown = (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        e.stopPropagation();
        onPick(`a${i + 1}`, j);
      };
      canvases[`a${i + 1}:${j}`] = c;
      row.append(c);
    }
    box.append(row);
  });
  return canvases;
}

/** Sets the controls to the state `s` (a share link's setup). */
export function syncPanel(q, s) {
  q("train-batch").value = String(s.batch);
  q("train-clip").checked = s.clip;
  q("train-activation").value = s.activation;
  q("train-dataset").value = s.dataset.name;
  q("train-n").value = String(s.dataset.n);
  q("train-noise").value = String(s.dataset.noise);
  q("train-data-seed").value = String(s.dataset.seed ?? 0);
}
