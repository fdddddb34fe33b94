/**
 * Presenter mode for a projected lecture: large type and high contrast (CSS on
 * body.presenting), controls that appear only when hovered or focused, and keys to move
 * between scenes (1–9, 0 = scene N; PageDown/PageUp or n/b = next/previous; p toggles).
 * Also the "Copy link" button's clipboard logic, with a selectable text field as fallback.
 */

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement
    || target instanceof HTMLTextAreaElement;
}

function setPresenting(on, actions) {
  document.body.classList.toggle("presenting", on);
  const button = $("present-toggle");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "Exit presenter" : "Presenter mode";
  actions.present(on);
}

/** The key's scene move: [offset, absolute index] or null when the key is not ours. */
function sceneMove(key) {
  if (/^[1-9]$/.test(key)) return [0, Number(key) - 1];
  if (key === "0") return [0, 9];
  if (key === "PageDown" || key === "n") return [1, undefined];
  if (key === "PageUp" || key === "b") return [-1, undefined];
  return null;
}

export function bindPresenter(actions, props) {
  const toggle = () => setPresenting(!document.body.classList.contains("presenting"), actions);
  $("present-toggle").addEventListener("click", toggle);
  $("copy-link").addEventListener("click", actions.copyLink);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key === "p") return toggle();
    const move = sceneMove(event.key);
    if (!move) return;
    event.preventDefault();
    actions.scene(...move);
  });
  setPresenting(props.present === 1, actions);
}

/** "3 / 17 · The general case": where this scene sits in the lecture. */
export function updateCounter(presets, name) {
  const at = presets.findIndex((p) => p.name === name);
  $("scene-counter").textContent = at < 0 ? "" : `${at + 1} / ${presets.length} · ${presets[at].section ?? presets[at].title}`;
}

export async function copyLink(url) {
  const field = $("share-url");
  field.value = url;
  try {
    await navigator.clipboard.writeText(url);
    $("copy-status").textContent = "Link copied";
  } catch {
    // No clipboard permission (plain http, old browser): show the link to copy by hand.
    field.hidden = false;
    field.select();
    $("copy-status").textContent = "Copy the link from the field";
  }
}
