/** The drag payload of a deal card; other drags (files, text) are not drops on the board. */
export const DEAL_DRAG_TYPE = 'application/x-handoff-deal';

export function isDealDrag(types: readonly string[] | DOMStringList): boolean {
  return Array.from(types as ArrayLike<string>).includes(DEAL_DRAG_TYPE);
}
