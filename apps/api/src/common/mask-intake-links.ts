/**
 * An intake link is the only key to a client's form: whoever holds it can answer as the client.
 * Viewers and reviewers read run data and outbox messages, so the links (and the raw tokens an
 * intake step outputs) are masked for them; editors, who resend links, see them.
 */
const LINK = /(\/intake\/)[A-Za-z0-9_-]{20,}/g;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const MASK = '••••••';

export function maskIntakeLinks<T>(value: T): T {
  return mask(value, null) as T;
}

function mask(value: unknown, key: string | null): unknown {
  if (typeof value === 'string') {
    if (key === 'token' && TOKEN.test(value)) return MASK;
    return value.replace(LINK, `$1${MASK}`);
  }
  if (Array.isArray(value)) return value.map((v) => mask(v, null));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
  }
  return value;
}

export const seesIntakeLinks = (role: string): boolean => role === 'editor' || role === 'admin';
