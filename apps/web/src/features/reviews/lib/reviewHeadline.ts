import { formatMoney } from '../../../lib/format';

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * The card's title: who paid, how much, in which flow ("Ada Lovelace · €900.00 · Payment to
 * onboarding"). Falls back to the step's reason when the review holds no payment facts.
 */
export function reviewHeadline(facts: Record<string, unknown> | null, flowName: string | null | undefined, reason: string): string {
  const f = facts ?? {};
  const who = text(f.name) ?? text(f.email) ?? text(f.customerId);
  const amount = typeof f.amount === 'number' ? formatMoney(f.amount, text(f.currency)) : null;
  const parts = [who, amount, flowName ?? null].filter((p): p is string => !!p);
  return who || amount ? parts.join(' · ') : reason;
}
