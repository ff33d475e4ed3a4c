import { stringifyValue } from '../expression';
import type { Payment } from '../stripe/normalize-payment';
import { isRecord } from './common';

// A rendered config leaf that was a single `{{ expr }}` keeps its JSON type, so nodes read
// template fields through these instead of trusting the string type of the schema.

export function text(value: unknown): string {
  return stringifyValue(value);
}

/** Empty and missing both become null: "no email" must not be written as "". */
export function optionalText(value: unknown): string | null {
  const s = stringifyValue(value).trim();
  return s === '' ? null : s;
}

/** An amount in minor units (cents); null when empty, an error when it is not a whole number. */
export function minorUnits(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'number' ? value : stringifyValue(value).trim();
  if (s === '') return null;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`${field} must be a whole number of minor units (cents), got ${JSON.stringify(value)}`);
  }
  return n;
}

export function textRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)]));
}

/** The normalized payment a Stripe trigger put in scope, or null for other triggers. */
export function paymentInScope(trigger: unknown): Partial<Payment> | null {
  if (!isRecord(trigger) || !isRecord(trigger.payment)) return null;
  return trigger.payment as Partial<Payment>;
}

/** The triggering Stripe event's id and type, when there is one. */
export function eventInScope(trigger: unknown): { id: string | null; type: string | null } {
  const event = isRecord(trigger) && isRecord(trigger.event) ? trigger.event : {};
  return {
    id: typeof event.id === 'string' ? event.id : null,
    type: typeof event.type === 'string' ? event.type : null,
  };
}
