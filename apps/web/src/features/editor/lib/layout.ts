export interface LayoutNode {
  id: string;
  position: { x: number; y: number };
}
export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayoutOptions {
  columnWidth?: number;
  rowHeight?: number;
  /** The node whose part of the flow goes first, at the top (the trigger). */
  first?: string;
}

type Positions = Record<string, { x: number; y: number }>;

/**
 * "Tidy up": each connected part of the flow gets a layered layout (`layeredLayout`); the
 * part holding `first` (the trigger) goes at the top, other parts below it in their current
 * vertical order, and steps connected to nothing in one row underneath, left to right in
 * their current order, so a step waiting to be wired in is placed too, never stacked in the
 * trigger's column.
 */
export function tidyLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], opts: LayoutOptions = {}): Positions {
  const { columnWidth = 300, rowHeight = 150, first } = opts;
  const ids = new Set(nodes.map((n) => n.id));
  const parent = new Map(nodes.map((n) => [n.id, n.id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) parent.set(root(e.source), root(e.target));
  const parts = new Map<string, LayoutNode[]>();
  for (const n of nodes) {
    const r = root(n.id);
    const list = parts.get(r);
    if (list) list.push(n);
    else parts.set(r, [n]);
  }
  const minY = (part: LayoutNode[]) => Math.min(...part.map((n) => n.position.y));
  const all = [...parts.values()];
  const firstPart = all.find((p) => p.some((n) => n.id === first)) ?? all.filter((p) => p.length > 1).sort((a, b) => minY(a) - minY(b))[0];
  const others = all.filter((p) => p !== firstPart && p.length > 1).sort((a, b) => minY(a) - minY(b));
  const lonely = all
    .filter((p) => p !== firstPart && p.length === 1)
    .map((p) => p[0])
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);

  const out: Positions = {};
  let bottom = -Infinity;
  for (const part of firstPart ? [firstPart, ...others] : others) {
    const pos = layeredLayout(part, edges, { columnWidth, rowHeight });
    const top = Math.min(...Object.values(pos).map((p) => p.y));
    const shift = bottom === -Infinity ? 0 : bottom + rowHeight - top;
    for (const [id, p] of Object.entries(pos)) out[id] = { x: p.x, y: p.y + shift };
    bottom = Math.max(...part.map((n) => out[n.id].y));
  }
  lonely.forEach((n, i) => {
    out[n.id] = { x: i * columnWidth, y: bottom === -Infinity ? 0 : bottom + rowHeight };
  });
  return out;
}

/**
 * A simple layered layout, left to right: a node's column is its longest distance
 * from a root; within a column nodes are ordered by the average row of their
 * parents (one barycentre pass), then centred around y = 0.
 */
export function layeredLayout(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  { columnWidth = 300, rowHeight = 150 }: LayoutOptions = {},
): Record<string, { x: number; y: number }> {
  const ids = new Set(nodes.map((n) => n.id));
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const n of nodes) {
    incoming.set(n.id, []);
    outgoing.set(n.id, []);
  }
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    outgoing.get(e.source)!.push(e.target);
    incoming.get(e.target)!.push(e.source);
  }

  // Longest-path depth via Kahn's algorithm; nodes left over (a cycle) go after the rest.
  const depth = new Map<string, number>();
  const remaining = new Map(nodes.map((n) => [n.id, incoming.get(n.id)!.length]));
  const queue = nodes.filter((n) => remaining.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) depth.set(id, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const next of outgoing.get(id)!) {
      depth.set(next, Math.max(depth.get(next) ?? 0, depth.get(id)! + 1));
      remaining.set(next, remaining.get(next)! - 1);
      if (remaining.get(next) === 0) queue.push(next);
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  for (const n of nodes) if (!depth.has(n.id)) depth.set(n.id, maxDepth + 1);

  const columns: string[][] = [];
  for (const n of nodes) (columns[depth.get(n.id)!] ??= []).push(n.id);

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const row = new Map<string, number>();
  columns.forEach((col, c) => {
    if (!col) return;
    const key = (id: string) => {
      const parents = incoming.get(id)!.filter((p) => row.has(p));
      if (c === 0 || parents.length === 0) return byId.get(id)!.position.y / 1e6;
      return parents.reduce((s, p) => s + row.get(p)!, 0) / parents.length;
    };
    const keys = new Map(col.map((id) => [id, key(id)]));
    col.sort((a, b) => keys.get(a)! - keys.get(b)! || byId.get(a)!.position.y - byId.get(b)!.position.y);
    col.forEach((id, i) => row.set(id, i - (col.length - 1) / 2));
  });

  const out: Record<string, { x: number; y: number }> = {};
  columns.forEach((col, c) => {
    col?.forEach((id) => {
      out[id] = { x: c * columnWidth, y: Math.round(row.get(id)! * rowHeight) };
    });
  });
  return out;
}
