/**
 * Amounts between what people type (major units: "1,200.50" dollars) and what the API stores
 * (minor units: 120050 cents, as Stripe counts them). Pure; specs beside it.
 */

/** The API's ceiling for an amount, in minor units. */
export const MAX_MINOR = 1e12;

/** Digits after the decimal point for a currency: 2 for usd, 0 for jpy, 3 for kwd. */
export function minorDigits(currency: string | null | undefined): number {
  const code = (currency || 'usd').trim().toUpperCase();
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string };

/**
 * "1200", "1,200.50", "1 200,5", "1.200,50" → minor units. The last of "." or "," is the
 * decimal point when both appear; a lone "," followed by exactly three digits groups thousands
 * ("1,200" is one thousand two hundred), otherwise it is the decimal point ("12,5").
 */
export function parseMajorAmount(input: string, currency: string | null | undefined): ParsedAmount {
  const digits = minorDigits(currency);
  const raw = input.trim().replace(/[\s\u00a0\u202f_']/g, '');
  if (!raw) return { ok: false, error: 'Enter an amount' };
  if (raw.startsWith('-')) return { ok: false, error: 'The amount cannot be negative' };
  if (!/^[0-9.,]+$/.test(raw)) return { ok: false, error: 'Use digits, with . or , for the decimals' };
  const lastDot = raw.lastIndexOf('.');
  const lastComma = raw.lastIndexOf(',');
  let decimalAt = -1;
  if (lastDot >= 0 && lastComma >= 0) decimalAt = Math.max(lastDot, lastComma);
  else if (lastDot >= 0) decimalAt = raw.indexOf('.') === lastDot ? lastDot : -2;
  else if (lastComma >= 0) {
    const single = raw.indexOf(',') === lastComma;
    decimalAt = single && raw.length - lastComma - 1 !== 3 ? lastComma : -1;
  }
  if (decimalAt === -2) return { ok: false, error: 'The amount has more than one decimal point' };
  const whole = (decimalAt >= 0 ? raw.slice(0, decimalAt) : raw).replace(/[.,]/g, '');
  const fraction = decimalAt >= 0 ? raw.slice(decimalAt + 1) : '';
  if (/[.,]/.test(fraction)) return { ok: false, error: 'The amount has more than one decimal point' };
  if (!whole && !fraction) return { ok: false, error: 'Enter an amount' };
  if (fraction.length > digits) {
    const code = (currency || 'usd').toUpperCase();
    return { ok: false, error: digits === 0 ? `${code} has no decimals` : `${code} has at most ${digits} decimals` };
  }
  const minor = Number((whole || '0') + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) return { ok: false, error: 'The amount is too large' };
  return { ok: true, minor };
}

/** Minor units back to what a person would type in the amount field: 120050 usd → "1200.50", 120000 → "1200". */
export function minorToMajorInput(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return '';
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits ? text.slice(text.length - digits) : '';
  const shown = fraction && /[^0]/.test(fraction) ? `${whole}.${fraction}` : whole;
  return negative ? `-${shown}` : shown;
}
