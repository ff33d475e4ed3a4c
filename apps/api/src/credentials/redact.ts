/**
 * Scrubbing secrets out of text an outside service sent back (an error that echoes the
 * Authorization header, a hostile API that returns the request's headers): we cannot stop a
 * service from repeating a secret, but what it repeats never reaches run data, the outbox or logs.
 */
export const REDACTED = '[redacted]';

// Fields of a credential that are secret; the others (a host, a sender, a header name) are not.
const SECRET_FIELDS = new Set(['value', 'accessToken', 'pass', 'password', 'secretKey', 'token', 'clientSecret', 'refreshToken']);

/** The secret strings of a revealed credential (short values would match ordinary text). */
export function secretStrings(secret: unknown): string[] {
  const out: string[] = [];
  const add = (v: string) => {
    if (v.length >= 8) out.push(v);
    // A bearer value is often echoed without its scheme.
    const bare = /^(Bearer|Basic|Token)\s+(.{8,})$/i.exec(v)?.[2];
    if (bare) out.push(bare);
  };
  if (typeof secret === 'string') add(secret);
  else if (secret && typeof secret === 'object') {
    for (const [k, v] of Object.entries(secret)) if (SECRET_FIELDS.has(k) && typeof v === 'string') add(v);
  }
  return out.sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
}

export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.length) return value;
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  return value;
}
