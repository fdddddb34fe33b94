/**
 * Layout of any acyclic computation graph (kind "graph", "rnn"): each node goes in the
 * column of its longest path from a leaf, parameters one column before their first use,
 * and nodes of one column are stacked. Pure.
 */

export const BOX = Object.freeze({ width: 120, height: 54, columnGap: 60, rowGap: 22, margin: 30 });

/** Column index of every node: 1 + the deepest of its inputs; leaves sit next to their first user. */
export function columnsOf(nodes) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const column = new Map();
  const depth = (id) => {
    if (column.has(id)) return column.get(id);
    const node = byId.get(id);
    const d = node.inputs.length ? 1 + Math.max(...node.inputs.map(depth)) : 0;
    column.set(id, d);
    return d;
  };
  nodes.forEach((n) => depth(n.id));
  // A leaf (input, parameter) is drawn just left of the first op that reads it.
  for (const leaf of nodes.filter((n) => !n.inputs.length)) {
    const users = nodes.filter((n) => n.inputs.includes(leaf.id)).map((n) => column.get(n.id));
    if (users.length) column.set(leaf.id, Math.max(0, Math.min(...users) - 1));
  }
  return column;
}

/** {width, height, boxes: Map id -> {x, y}} (x, y the box centre). */
export function dagLayout(nodes) {
  const column = columnsOf(nodes);
  const stacks = new Map();
  for (const n of nodes) {
    const c = column.get(n.id);
    if (!stacks.has(c)) stacks.set(c, []);
    stacks.get(c).push(n.id);
  }
  const tallest = Math.max(...[...stacks.values()].map((s) => s.length));
  const pitchY = BOX.height + BOX.rowGap;
  const height = 2 * BOX.margin + tallest * pitchY;
  const columns = Math.max(...stacks.keys()) + 1;
  const width = 2 * BOX.margin + columns * (BOX.width + BOX.columnGap) - BOX.columnGap;
  const boxes = new Map();
  for (const [c, ids] of stacks) {
    const top = (height - ids.length * pitchY) / 2 + pitchY / 2;
    ids.forEach((id, i) => boxes.set(id, { x: BOX.margin + BOX.width / 2 + c * (BOX.width + BOX.columnGap), y: top + i * pitchY }));
  }
  return { width, height, boxes, columns };
}
