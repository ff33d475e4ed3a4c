/** What a trigger's body must not contain to be stored as jsonb, checked before anything is written. */

/** Real events nest fewer than ten levels; far deeper input only exists to exhaust the stack. */
const MAX_DEPTH = 64;
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What PostgreSQL's jsonb or our own recursion would fail on, found without recursion:
 * U+0000 and lone surrogates (valid JSON escapes that jsonb refuses) and absurd nesting.
 */
export function unstorable(value: unknown, what = 'Event'): string | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return `${what} contains the NUL character (\\u0000), which cannot be stored`;
      if (LONE_SURROGATE.test(v)) return `${what} contains an unpaired UTF-16 surrogate escape, which cannot be stored`;
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return `${what} is nested more than ${MAX_DEPTH} levels deep`;
    for (const [k, child] of Object.entries(v)) {
      if (!Array.isArray(v)) stack.push([k, depth]);
      stack.push([child, depth + 1]);
    }
  }
  return null;
}

const ESCAPE = Buffer.from('\\u');
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Whether `unstorable` has anything to find in this body, judged from its bytes: in parsed JSON
 * a NUL or a lone surrogate can only come from a `\u` escape (raw bytes decode to valid text, or
 * do not parse), and nesting 64 levels deep takes at least 64 brackets. A typical event has
 * neither, and is spared the walk over every value (a hot spot of the ingest profile).
 */
export function mayBeUnstorable(rawBody: Buffer): boolean {
  if (rawBody.includes(ESCAPE)) return true;
  let brackets = 0;
  for (const byte of rawBody) if (byte === OPEN_BRACE || byte === OPEN_BRACKET) brackets++;
  return brackets >= MAX_DEPTH;
}
