import type { Deal, DealPatch, NewDeal, RecordType } from '../../../api/types';
import { minorToMajorInput, parseMajorAmount } from './money';

/** The deal fields people type, as text; the amount in major units ("1,200.50"). */
export interface DealFormValues {
  title: string;
  amount: string;
  currency: string;
  product: string;
  recordType: RecordType | '';
}

export interface NewDealValues extends DealFormValues {
  email: string;
  name: string;
  stage: string;
}

export type FormErrors<K extends string> = Partial<Record<K, string>>;
export type Checked<T, K extends string> = { ok: true; value: T } | { ok: false; errors: FormErrors<K> };

export const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'chf', 'sek', 'nok', 'dkk', 'jpy'] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const orNull = (s: string) => s.trim() || null;

function checkShared(v: DealFormValues, errors: FormErrors<keyof NewDealValues>): { minor: number | null; currency: string } {
  const currency = v.currency.trim().toLowerCase();
  const valid = /^[a-z]{3}$/.test(currency);
  if (!valid) errors.currency = 'Pick a three-letter currency code such as USD';
  const parsed = parseMajorAmount(v.amount, valid ? currency : 'usd');
  if (!parsed.ok) errors.amount = parsed.error;
  return { minor: parsed.ok ? parsed.minor : null, currency };
}

/** The body of `POST /api/crm/deals` from the board's form, or what to fix, per field. */
export function newDealBody(v: NewDealValues): Checked<NewDeal, keyof NewDealValues> {
  const errors: FormErrors<keyof NewDealValues> = {};
  const email = v.email.trim();
  if (!EMAIL.test(email)) errors.email = email ? 'This is not an e-mail address' : 'The client’s e-mail is required';
  if (!v.stage) errors.stage = 'Pick a stage';
  const { minor, currency } = checkShared(v, errors);
  if (Object.keys(errors).length || minor === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title: orNull(v.title),
      contact: { email, name: orNull(v.name) },
      stage: v.stage,
      amount: minor,
      currency,
      product: orNull(v.product),
      recordType: v.recordType || null,
    },
  };
}

export function formFromDeal(d: Deal): DealFormValues {
  const recordType: RecordType | '' = d.recordType === 'profit' ? 'profit' : d.recordType === 'nonprofit' ? 'nonprofit' : '';
  return { title: d.title ?? '', amount: minorToMajorInput(d.amount, d.currency), currency: (d.currency ?? 'usd').toLowerCase(), product: d.product ?? '', recordType };
}

/** Only the fields that differ from the deal, for `PATCH /api/crm/deals/:id`; empty when nothing changed. */
export function dealPatch(d: Deal, v: DealFormValues): Checked<DealPatch, keyof DealFormValues> {
  const errors: FormErrors<keyof NewDealValues> = {};
  const { minor, currency } = checkShared(v, errors);
  if (Object.keys(errors).length || minor === null) return { ok: false, errors };
  const patch: DealPatch = {};
  if (orNull(v.title) !== (d.title ?? null)) patch.title = orNull(v.title);
  if (minor !== d.amount) patch.amount = minor;
  if (currency !== (d.currency ?? '').toLowerCase()) patch.currency = currency;
  if (orNull(v.product) !== (d.product ?? null)) patch.product = orNull(v.product);
  if ((v.recordType || null) !== (d.recordType || null)) patch.recordType = v.recordType || null;
  return { ok: true, value: patch };
}
