/** Where new steps go on the canvas, so a step added by "+" or a palette click never lands on another. */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A step card's size before React Flow has measured it (the card is 224 px wide, see .fnode). */
export const DEFAULT_NODE_SIZE = { width: 224, height: 84 };
/**
 * The room a new step is given: it usually shows a problem ("not connected", a required
 * setting) under its title at first, which makes the card about 140 px tall.
 */
export const NEW_NODE_SIZE = { width: 224, height: 150 };
/** Horizontal distance from one step's left edge to the next one's: the layout's column width. */
export const COLUMN_WIDTH = 300;
/** Vertical distance between branch outputs' targets (true above, false below). */
export const PORT_SPREAD = 180;
const GAP = 24;

export interface Placed {
  id: string;
  position: { x: number; y: number };
  measured?: { width?: number; height?: number };
}

export function rectOf(n: Placed): Rect {
  return {
    x: n.position.x,
    y: n.position.y,
    width: n.measured?.width ?? DEFAULT_NODE_SIZE.width,
    height: n.measured?.height ?? DEFAULT_NODE_SIZE.height,
  };
}

/** True when the rectangles come closer than `gap` to each other. */
export function overlaps(a: Rect, b: Rect, gap = GAP): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * The nearest free place for a card of `size` to `desired`, trying rows below and above in
 * turn (one card height plus a gap apart), so the step stays in the column it was meant for.
 */
export function freeSpot(desired: { x: number; y: number }, obstacles: readonly Rect[], size = NEW_NODE_SIZE): { x: number; y: number } {
  const step = size.height + GAP;
  for (let k = 0; k < 200; k++) {
    const offset = k === 0 ? 0 : Math.ceil(k / 2) * step * (k % 2 === 1 ? 1 : -1);
    const candidate = { x: Math.round(desired.x), y: Math.round(desired.y + offset) };
    if (!obstacles.some((o) => overlaps({ ...candidate, ...size }, o))) return candidate;
  }
  return { x: Math.round(desired.x), y: Math.round(desired.y) };
}

/**
 * Where the step after `source`'s output `port` goes: one column to the right, each port of a
 * multi-port step at its own height (true above false), then moved to the nearest free spot.
 */
export function placeAfter(source: Placed, ports: readonly string[], port: string | null, nodes: readonly Placed[]): { x: number; y: number } {
  const from = rectOf(source);
  const index = port ? Math.max(0, ports.indexOf(port)) : 0;
  const spread = ports.length > 1 && port ? (index - (ports.length - 1) / 2) * PORT_SPREAD : 0;
  const desired = { x: from.x + COLUMN_WIDTH, y: from.y + spread };
  return freeSpot(desired, nodes.map(rectOf));
}

/** The first output port of `nodeId` with nothing connected to it, in the order the node declares them. */
export function firstFreePort(nodeId: string, ports: readonly string[], edges: ReadonlyArray<{ source: string; sourceHandle?: string | null }>): string | null {
  return ports.find((p) => !edges.some((e) => e.source === nodeId && (e.sourceHandle ?? 'out') === p)) ?? null;
}
