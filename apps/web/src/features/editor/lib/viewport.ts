/** How "fit view" frames a flow without shrinking its text below what people can read. */

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Below this zoom a step's 13 px title renders under 10 px: fit view stops here and the canvas pans instead. */
export const MIN_READABLE_ZOOM = 0.75;

export interface FitOptions {
  /** Empty space around the flow, in screen pixels. */
  padding?: number;
  minZoom?: number;
  maxZoom?: number;
}

/**
 * The viewport that shows `bounds` (flow coordinates) in a `size` pane. When the whole flow only
 * fits below `minZoom`, it stays at `minZoom` and shows the flow's start: its left edge (where the
 * trigger is) and, if it is too tall too, its top; a direction that fits is centred.
 */
export function readableFit(bounds: Bounds, size: { width: number; height: number }, { padding = 40, minZoom = MIN_READABLE_ZOOM, maxZoom = 1 }: FitOptions = {}): Viewport {
  const w = Math.max(1, bounds.width);
  const h = Math.max(1, bounds.height);
  const fit = Math.min((size.width - 2 * padding) / w, (size.height - 2 * padding) / h);
  const zoom = Math.max(minZoom, Math.min(maxZoom, fit));
  const place = (start: number, length: number, pane: number) => {
    const scaled = length * zoom;
    return scaled + 2 * padding <= pane ? (pane - scaled) / 2 - start * zoom : padding - start * zoom;
  };
  return { x: place(bounds.x, w, size.width), y: place(bounds.y, h, size.height), zoom };
}

/**
 * The viewport that brings `rect` (flow coordinates) into a `size` pane at the same zoom, moving
 * as little as needed; null when it is already in view with `margin` to spare.
 */
export function revealRect(view: Viewport, size: { width: number; height: number }, rect: Bounds, margin = 40): Viewport | null {
  const axis = (offset: number, start: number, length: number, pane: number) => {
    const from = start * view.zoom + offset;
    const to = from + length * view.zoom;
    if (from >= margin && to <= pane - margin) return offset;
    // Too long to fit: show its start.
    if (to - from > pane - 2 * margin || from < margin) return offset + (margin - from);
    return offset - (to - (pane - margin));
  };
  const x = axis(view.x, rect.x, rect.width, size.width);
  const y = axis(view.y, rect.y, rect.height, size.height);
  return x === view.x && y === view.y ? null : { x, y, zoom: view.zoom };
}
