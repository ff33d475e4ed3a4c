import type { CrmDealInput, CrmPerson } from '@handoff/nodes';

// Stripe's currencies without minor units, and those with three decimals (docs.stripe.com/currencies).
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Minor units (what Stripe and the built-in CRM store) as the decimal amount CRMs expect, e.g. 250000 usd → "2500.00". */
export function majorUnits(amount: number, currency: string | null | undefined): string {
  const c = (currency ?? '').toLowerCase();
  const decimals = ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(decimals + 1, '0');
  return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** What the deal is called in the CRM: the product, then who bought it. */
export function dealName(deal: CrmDealInput): string {
  const who = deal.name ?? deal.email ?? deal.customerId ?? 'client';
  return deal.product ? `${deal.product} – ${who}` : `Stripe payment – ${who}`;
}

/** A person's name as first and last name: "Ada King Lovelace" → Ada, King Lovelace. */
export function splitName(name: string | null | undefined): { first: string | null; last: string | null } {
  const [first, ...rest] = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return { first: first ?? null, last: rest.length ? rest.join(' ') : null };
}

/** Who the deal is with, as the contact upserts take it. */
export function dealPerson(deal: CrmDealInput): CrmPerson {
  return { customerId: deal.customerId ?? null, email: deal.email ?? null, name: deal.name ?? null };
}
