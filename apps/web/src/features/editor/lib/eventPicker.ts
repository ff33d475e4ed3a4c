import { ALL_STRIPE_EVENTS, groupStripeEventTypes, isKnownStripeEventType, isStripeEventTypeShape, type StripeEventGroup } from '@handoff/nodes';

export interface EventPickerView {
  groups: StripeEventGroup[];
  /** The query as a type to add when it is well formed but not offered in the list. */
  typed: string | null;
  /** Every offered type in display order, for arrow-key movement. */
  flat: string[];
}

/**
 * What the Stripe event picker shows for a query: the catalogue's groups (the wildcard first
 * where allowed), plus the query itself when it is a well-formed type the list lacks, so a
 * newer event can still be chosen.
 */
export function eventPickerView(query: string, selected: readonly string[], wildcard: boolean): EventPickerView {
  const q = query.trim().toLowerCase();
  const groups = groupStripeEventTypes(undefined, q);
  if (wildcard && (!q || q === ALL_STRIPE_EVENTS || 'all every'.includes(q))) groups.unshift({ group: 'all events', types: [ALL_STRIPE_EVENTS] });
  // Typed values already chosen stay visible as options so they can be unticked from the list too.
  const custom = selected.filter((t) => !isKnownStripeEventType(t) && (!q || t.includes(q)));
  if (custom.length) groups.unshift({ group: 'typed', types: custom });
  const flat = groups.flatMap((g) => g.types);
  const typed = q && isStripeEventTypeShape(q, wildcard) && !flat.includes(q) ? q : null;
  return { groups, typed, flat: typed ? [typed, ...flat] : flat };
}

/** Adds or removes one type, keeping the order in which they were chosen. */
export function toggleEventType(selected: readonly string[], type: string): string[] {
  return selected.includes(type) ? selected.filter((t) => t !== type) : [...selected, type];
}
