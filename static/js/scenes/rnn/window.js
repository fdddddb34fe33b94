/**
 * Which time steps the unrolled chain draws: all of them up to `max` cells; beyond that,
 * t = 1, a run of consecutive steps around the one in focus, t = T, and gaps ("… 37 steps …")
 * between them, so T = 300 stays readable and the animated step is always on screen. Pure.
 */

export const MAX_CELLS = 40;

/** Items in order: {t} for a drawn step, {gap: [from, to]} for steps summarised. */
export function chainWindow(steps, focus = steps, max = MAX_CELLS) {
  if (steps <= max) return Array.from({ length: steps }, (_, i) => ({ t: i + 1 }));
  // t = 1 and t = T are always drawn; the gaps take one slot each.
  const run = max - 4;
  const f = Math.min(steps, Math.max(1, focus));
  let start = Math.max(2, f - Math.floor(run / 2));
  let end = start + run - 1;
  if (end > steps - 1) {
    end = steps - 1;
    start = end - run + 1;
  }
  const items = [{ t: 1 }];
  if (start > 2) items.push({ gap: [2, start - 1] });
  for (let t = start; t <= end; t += 1) items.push({ t });
  if (end < steps - 1) items.push({ gap: [end + 1, steps - 1] });
  items.push({ t: steps });
  return items;
}
