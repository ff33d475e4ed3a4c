import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { prng } from '../../test/prng';

/**
 * Fuzzes POST /hooks/stripe/:flowId with malformed headers, bodies, framing, paths and
 * methods over raw TCP (fetch and http.request refuse to send most of them). Every case is
 * drawn from a seeded PRNG before anything is sent: a failure names its seed and index.
 */

const SEED = 20261123;
const CASES = 3000;
const CONCURRENCY = 6;
const SECRET = 'whsec_FUZZsigningSECRETdoNotEcho4242';
const LIMIT = 1024 * 1024;
/** Node's default --max-http-header-size: a bigger head is refused with 431 before the app sees it. */
const MAX_HEAD = 16 * 1024;


type Rnd = () => number;
const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const pick = <T,>(rnd: Rnd, items: readonly T[]): T => items[int(rnd, items.length)];
const hex = (rnd: Rnd, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(rnd, 16)]).join('');
const alnum = (rnd: Rnd, n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[int(rnd, 62)]).join('');
const printable = (rnd: Rnd, n: number) => Array.from({ length: n }, () => String.fromCharCode(0x20 + int(rnd, 95))).join('');
const now = () => Math.floor(Date.now() / 1000);

/** A v1 snapshot event, deterministic for a given PRNG state: what Stripe sends for a paid checkout. */
function stripeEvent(rnd: Rnd): Record<string, unknown> {
  return {
    id: `evt_fuzz_${alnum(rnd, 24)}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: 1_763_000_000,
    livemode: false,
    pending_webhooks: 1,
    type: 'checkout.session.completed',
    data: {
      object: {
        id: `cs_test_${alnum(rnd, 24)}`,
        object: 'checkout.session',
        amount_total: 250_000,
        currency: 'usd',
        customer: 'cus_QXg1o8vcGmoR32',
        customer_details: { email: 'client@example.com', name: 'Jenny Rosen' },
        payment_status: 'paid',
        status: 'complete',
        metadata: { product: 'Onboarding package' },
      },
    },
  };
}

/** A header line as sent: the value is a latin1 string, so any byte can be put on the wire. */
type HeaderLine = [string, string];
type Framing = 'length' | 'chunked' | 'bad-chunked' | 'short-length' | 'long-length' | 'no-length' | 'length+chunked' | 'double-length' | 'bad-length';

/** What a case must get back: the exact status, and for app answers a reason the message must match. */
interface Expectation {
  status: number;
  reason?: RegExp;
  /** Node's HTTP parser answers itself (no JSON, connection closed) before the app sees the request. */
  fromNode?: boolean;
  /**
   * Bytes past Content-Length are parsed as a next, pipelined request: when that one is garbage,
   * Node answers its bare 400 and drops the connection before the app has replied. Either is fine.
   */
  orFromNode?: boolean;
}

interface Case {
  index: number;
  kind: string;
  note: string;
  method: string;
  path: string;
  headers: HeaderLine[];
  body: Buffer;
  framing: Framing;
  /** Leave out the Host header (required in HTTP/1.1). */
  noHost?: boolean;
  expect: Expectation;
}

const REASON = {
  missing: /^Missing Stripe-Signature header$/,
  malformedHeader: /^Malformed Stripe-Signature header/,
  noV1: /^No v1 signature in the Stripe-Signature header$/,
  mismatch: /^Signature does not match/,
  stale: /^Signature timestamp is more than 300 s old/,
  anySignature: /^(Missing Stripe-Signature header|Malformed Stripe-Signature header|No v1 signature|Signature does not match|Signature timestamp is more than 300 s old)/,
  empty: /^Empty body$/,
  notJson: /^Body is not valid JSON$/,
  notEvent: /^Body is not a Stripe event/,
  thin: /^Thin \(v2\) events/,
  nul: /NUL character/,
  tooDeep: /^Event is nested more than 64 levels deep$/,
  tooLarge: /^Request body too large \(limit 1 MiB\)$/,
  unreadable: /^Unreadable request body$/,
  noFlow: /^No published flow /,
  noRoute: /^Cannot (GET|PUT|DELETE|PATCH|POST|OPTIONS) /,
};

const sign = (payload: string, secret = SECRET, timestamp?: number) => Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
/** The SDK verifies over the body decoded as UTF-8 (invalid bytes become U+FFFD): sign what it will see. */
const signBytes = (body: Buffer, timestamp?: number) => sign(new TextDecoder('utf8').decode(body), SECRET, timestamp);
const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

/** The header value the app sees: Node trims optional whitespace and joins repeated headers with ", ". */
function serverView(headers: HeaderLine[]): string | undefined {
  const values = headers.filter(([k]) => k.toLowerCase() === 'stripe-signature').map(([, v]) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
  return values.length ? values.join(', ') : undefined;
}

/**
 * Guard against a generator slip: whether the SDK verifies this header over this body AND the
 * body is a plain v1 event (an object with string id, type and data.object), i.e. a delivery
 * the app legitimately accepts. No malformed case may be one.
 */
function legitDelivery(body: Buffer, headers: HeaderLine[]): boolean {
  const header = serverView(headers);
  if (!header || !body.length) return false;
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(body, header, SECRET);
  } catch {
    return false;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(event) && typeof event.id === 'string' && event.id !== '' && typeof event.type === 'string' && event.type !== '' && event.object !== 'v2.core.event' && isObject(event.data) && isObject(event.data.object) && !body.includes('\\u0000');
}

const CONTENT_TYPES: Array<string | null> = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----fuzz',
  'application/octet-stream',
  'a/b/c;;;=',
  '',
  null,
];

/** Nested arrays (`[[[…]]]`), or nested objects ending in `leaf` (`{"a":{"a":…}}`). */
function nested(depth: number, leaf: string, arrays: boolean): string {
  return arrays ? '['.repeat(depth) + leaf + ']'.repeat(depth) : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

interface Context {
  flowId: string;
  unpublishedId: string;
  manualFlowId: string;
}

/** Draws case `index`: a kind, then a request that is wrong in that one way (plus a random content type). */
function generate(rnd: Rnd, index: number, ctx: Context, budget: { big: number }): Case {
  const event = stripeEvent(rnd);
  const eventJson = JSON.stringify(event);
  const base = (kind: string, note: string, body: Buffer, expect: Expectation, headers: HeaderLine[] = []): Case => ({
    index,
    kind,
    note,
    method: 'POST',
    path: `/hooks/stripe/${ctx.flowId}`,
    headers,
    body,
    framing: 'length',
    expect,
  });
  const bad400 = (reason: RegExp): Expectation => ({ status: 400, reason });
  /** A valid signature (fresh timestamp) over whatever bytes are sent. */
  const signedOver = (kind: string, note: string, body: Buffer, reason: RegExp): Case => base(kind, note, body, bad400(reason), [['Stripe-Signature', signBytes(body)]]);

  const roll = rnd();
  let c: Case;
  if (roll < 0.34) c = headerCase(rnd, base, eventJson);
  else if (roll < 0.7) c = bodyCase(rnd, base, signedOver, event, budget);
  else if (roll < 0.82) c = framingCase(rnd, base, eventJson, budget);
  else if (roll < 0.92) c = pathCase(rnd, base, eventJson, ctx);
  else c = methodCase(rnd, base, eventJson);

  // Content-Type is irrelevant to a raw-bytes endpoint: any of them, or none, must give the same answer.
  const type = pick(rnd, CONTENT_TYPES);
  if (type !== null && !c.headers.some(([k]) => k.toLowerCase() === 'content-type')) c.headers.push([pick(rnd, ['Content-Type', 'content-type', 'CONTENT-TYPE']), type]);
  return c;
}

type Base = (kind: string, note: string, body: Buffer, expect: Expectation, headers?: HeaderLine[]) => Case;

/** A well-formed event under a wrong Stripe-Signature header. */
function headerCase(rnd: Rnd, base: Base, eventJson: string): Case {
  const body = Buffer.from(eventJson);
  const t = now();
  const good = sign(eventJson, SECRET, t);
  const goodV1 = good.split(',v1=')[1];
  const other = sign(eventJson.replace('evt_fuzz_', 'evt_fuzX_'), SECRET, t);
  const h = (kind: string, note: string, value: string | null, reason: RegExp, extra: HeaderLine[] = []) =>
    base(`header.${kind}`, note, body, { status: 400, reason }, [...(value === null ? [] : [[pick(rnd, ['Stripe-Signature', 'stripe-signature', 'STRIPE-SIGNATURE']), value] as HeaderLine]), ...extra]);
  const variants: Array<() => Case> = [
    () => h('missing', 'no header', null, REASON.missing),
    () => h('empty', 'empty value', '', REASON.missing),
    () => h('blank', 'only whitespace', ' \t ', REASON.missing),
    () => h('garbage', 'random printable', printable(rnd, 1 + int(rnd, 200)).replace(/^[ \t]+|[ \t]+$/g, '') || 'x', REASON.anySignature),
    () => h('no-timestamp', 'v1 only', `v1=${goodV1}`, REASON.malformedHeader),
    () => h('timestamp-only', 't only', `t=${t}`, REASON.noV1),
    () => h('wrong-scheme', 'v0 instead of v1', `t=${t},${pick(rnd, ['v0', 'v2', 'V1', 's1', 'sha256', 'v1 '])}=${goodV1}`, REASON.noV1),
    () => h('semicolons', 'wrong separator', `t=${t};v1=${goodV1}`, REASON.noV1),
    () => h('stale', 'valid HMAC, timestamp beyond tolerance', sign(eventJson, SECRET, t - 301 - int(rnd, 10_000_000)), REASON.stale),
    () => h('future-forged', 'future timestamp, forged v1', `t=${t + 1 + int(rnd, 10_000_000)},v1=${hex(rnd, 64)}`, REASON.mismatch),
    () => h('timestamp-swapped', 'v1 of t, sent with another t', `t=${t - 1 - int(rnd, 200)},v1=${goodV1}`, REASON.mismatch),
    () => h('short-v1', 'v1 truncated', `t=${t},v1=${goodV1.slice(0, int(rnd, 64))}`, REASON.mismatch),
    () => h('long-v1', 'v1 extended', `t=${t},v1=${goodV1}${hex(rnd, 1 + int(rnd, 64))}`, REASON.mismatch),
    () => h('upper-v1', 'v1 in upper case', `t=${t},v1=${goodV1.toUpperCase().replace(/^[0-9]+$/, 'F')}`, REASON.mismatch),
    () => h('many-v1', 'dozens of forged v1', [`t=${t}`, ...Array.from({ length: 2 + int(rnd, 150) }, () => `v1=${hex(rnd, 64)}`)].join(','), REASON.mismatch),
    () => h('other-body', 'valid HMAC of a different body', other, REASON.mismatch),
    () => h('other-secret', 'valid HMAC under another secret', sign(eventJson, `whsec_${alnum(rnd, 24)}`, t), REASON.mismatch),
    () => h('nan-timestamp', 'non-numeric t', `t=${pick(rnd, ['abc', '', '-', '0x1f', '1e99', 'Infinity'])},v1=${goodV1}`, REASON.anySignature),
    () => h('negative-timestamp', 'negative t', `t=-${t},v1=${goodV1}`, REASON.mismatch),
    () => h('unicode', 'UTF-8 bytes in the value', latin1(`t=${t},v1=${goodV1.slice(0, 60)}${pick(rnd, ['☃', 'é', '𝔘', '\u202e', 'ü'])}`), REASON.mismatch),
    // 64 characters as Node hands the header over (latin1), like a real v1, but not all ASCII.
    () => h('unicode-64', 'v1 of 64 characters, one of them non-ASCII', `t=${t},v1=${goodV1.slice(0, 63)}${pick(rnd, ['\u00e9', '\u00ff', '\u0080', '\u00a0'])}`, REASON.mismatch),
    () => h('unicode-garbage', 'only UTF-8 text', latin1(pick(rnd, ['签名', 'подпись', '🔑🔑🔑', 't=☃,v1=☃'])), REASON.anySignature),
    () => h('space-inside', 'whitespace after a comma', `t=${t}, v1=${goodV1}`, REASON.noV1),
    () => h('equals-inside', 'v1 with a trailing = and junk', `t=${t},v1=x=${goodV1}`, REASON.mismatch),
    () => {
      // Repeated headers are joined with ", ": a forged or unrelated pair, never a match for this body.
      const first = pick(rnd, [other, `t=${t},v1=${hex(rnd, 64)}`, 'garbage', '']);
      const second = pick(rnd, [other, `v1=${goodV1}`, 'garbage', `t=${t}`]);
      return h('duplicated', 'two Stripe-Signature lines', first, REASON.anySignature, [['Stripe-Signature', second]]);
    },
    () => {
      const c = h('oversized', 'header over the 16 KiB head limit', `t=${t},v1=${hex(rnd, MAX_HEAD + int(rnd, 4096))}`, REASON.anySignature);
      c.expect = { status: 431, fromNode: true };
      return c;
    },
    () => {
      const c = h('control-char', 'control character in the value', `t=${t},v1=${goodV1.slice(0, 10)}${pick(rnd, ['\u0001', '\u0000', '\u007f', '\u001b', '\r', '\n'])}${goodV1.slice(10)}`, REASON.anySignature);
      c.expect = { status: 400, fromNode: true };
      return c;
    },
  ];
  return pick(rnd, variants)();
}

/** A correctly signed body that is not a storable v1 event. */
function bodyCase(rnd: Rnd, base: Base, signedOver: (kind: string, note: string, body: Buffer, reason: RegExp) => Case, event: Record<string, unknown>, budget: { big: number }): Case {
  const json = JSON.stringify(event);
  const s = (kind: string, note: string, body: string | Buffer, reason: RegExp) => signedOver(`body.${kind}`, note, typeof body === 'string' ? Buffer.from(body) : body, reason);
  const without = (...keys: string[]) => Object.fromEntries(Object.entries(event).filter(([k]) => !keys.includes(k)));
  const junkValue = () => pick(rnd, [null, 0, 1, -1.5, true, false, [], {}, ['evt_1'], { id: 'evt_1' }, 1e308]);
  const variants: Array<() => Case> = [
    () => base('body.empty', 'no body, header signed over ""', Buffer.alloc(0), { status: 400, reason: REASON.empty }, [['Stripe-Signature', sign('')]]),
    () => s('not-json', 'random printable text', printable(rnd, 1 + int(rnd, 500)).replace(/^\s+/, 'x'), REASON.notJson),
    () => s('not-json-form', 'a form body', `id=evt_1&type=checkout.session.completed&x=${alnum(rnd, 8)}`, REASON.notJson),
    () => s('not-json-multipart', 'a multipart body', `------fuzz\r\nContent-Disposition: form-data; name="payload"\r\n\r\n${json}\r\n------fuzz--\r\n`, REASON.notJson),
    () => s('truncated', 'valid event cut short', json.slice(0, 1 + int(rnd, json.length - 1)), REASON.notJson),
    () => s('trailing-junk', 'valid event plus junk', json + pick(rnd, ['}', ',', 'x', '{}', ' ]']), REASON.notJson),
    () => s('scalar', 'JSON that is not an object', pick(rnd, ['null', 'true', 'false', '0', '-1', '1e400', '"evt_1"', '""', JSON.stringify(json)]), REASON.notEvent),
    () => s('array', 'a JSON array', pick(rnd, ['[]', `[${json}]`, `[${json},${json}]`, '[null]']), REASON.notEvent),
    () => s('no-id', 'event without id', JSON.stringify(without('id')), REASON.notEvent),
    () => s('no-type', 'event without type', JSON.stringify(without('type')), REASON.notEvent),
    () => s('no-id-no-type', 'an object of other keys', JSON.stringify(without('id', 'type')), REASON.notEvent),
    () => s('empty-object', '{}', '{}', REASON.notEvent),
    () => s('id-wrong-type', 'id is not a string', JSON.stringify({ ...event, id: junkValue() }), REASON.notEvent),
    () => s('type-wrong-type', 'type is not a string', JSON.stringify({ ...event, type: junkValue() }), REASON.notEvent),
    () => s('id-empty', 'id is ""', JSON.stringify({ ...event, id: '' }), REASON.notEvent),
    () => s('thin', 'a v2 thin event', JSON.stringify({ ...event, object: 'v2.core.event' }), REASON.thin),
    () => s('no-data', 'data missing or not an object', JSON.stringify({ ...event, data: pick(rnd, [undefined, null, 'x', [], { object: null }, { object: [] }, { object: 'cs_1' }]) }), REASON.thin),
    () => s('deep-array', 'deeply nested arrays', nested(1000 + int(rnd, 100_000), '0', true), REASON.notEvent),
    () => s('deep-object', 'deeply nested objects without id', nested(1000 + int(rnd, 100_000), '0', false), REASON.notEvent),
    () => s('deep-unclosed', 'deeply nested and never closed', '['.repeat(1000 + int(rnd, 100_000)), REASON.notJson),
    () => s('nul-escape', '\\u0000 in a value', JSON.stringify({ ...event, note: `a\u0000${alnum(rnd, 4)}` }), REASON.nul),
    () => s('nul-key', '\\u0000 in a key', JSON.stringify({ ...event, ['k\u0000']: 1 }), REASON.nul),
    () => s('nul-nested', '\\u0000 in the object', JSON.stringify({ ...event, data: { object: { ...((event.data as { object: object }).object), metadata: { x: '\u0000' } } } }), REASON.nul),
    () => {
      // A NUL is refused like any other; past 64 levels the nesting itself is refused first.
      const depth = pick(rnd, [10, 200, 2_000, 20_000]);
      return s('nul-deep', `\\u0000 at depth ${depth}`, json.slice(0, -1) + `,"deep":${nested(depth, '"\\u0000"', rnd() < 0.5)}}`, depth < 64 ? REASON.nul : REASON.tooDeep);
    },
    () => s('nul-byte', 'raw NUL byte inside a string', Buffer.from(json.replace('"paid"', '"pa\u0000id"')), REASON.notJson),
    () => s('invalid-utf8-structure', 'invalid UTF-8 in place of a quote', Buffer.concat([Buffer.from(json.slice(0, 6)), Buffer.from([0xff, 0xfe]), Buffer.from(json.slice(7))]), REASON.notJson),
    () => s('invalid-utf8-scalar', 'invalid UTF-8 bytes only', Buffer.from(Array.from({ length: 1 + int(rnd, 64) }, () => 0x80 + int(rnd, 128))), REASON.notJson),
    () => s('utf16', 'event encoded as UTF-16', Buffer.from(json, 'utf16le'), REASON.notJson),
    () => {
      // A huge string under the limit, in an object that is not an event.
      if (budget.big <= 0) return s('huge-not-event', 'big object without id', JSON.stringify({ blob: 'x'.repeat(1000) }), REASON.notEvent);
      budget.big--;
      return s('huge-not-event', 'big object without id, under 1 MiB', JSON.stringify({ type: 'checkout.session.completed', blob: alnum(rnd, 64).repeat(Math.floor((LIMIT - 4096) / 64)) }), REASON.notEvent);
    },
  ];
  return pick(rnd, variants)();
}

/** Wrong transfer framing, encodings and oversized bodies. */
function framingCase(rnd: Rnd, base: Base, eventJson: string, budget: { big: number }): Case {
  const malformed = eventJson.slice(0, -1 - int(rnd, 20));
  const signedMalformed = (kind: string, note: string, framing: Framing, expect: Expectation): Case => {
    const c = base(`framing.${kind}`, note, Buffer.from(malformed), expect, [['Stripe-Signature', sign(malformed)]]);
    c.framing = framing;
    return c;
  };
  const variants: Array<() => Case> = [
    () => signedMalformed('chunked', 'chunked transfer of truncated JSON', 'chunked', { status: 400, reason: REASON.notJson }),
    () => {
      // Chunked framing of a well-formed event whose signature does not match.
      const c = base('framing.chunked-bad-signature', 'chunked, forged v1', Buffer.from(eventJson), { status: 400, reason: REASON.mismatch }, [['Stripe-Signature', `t=${now()},v1=${hex(rnd, 64)}`]]);
      c.framing = 'chunked';
      return c;
    },
    () => signedMalformed('bad-chunked', 'chunk size that is not hex', 'bad-chunked', { status: 400, fromNode: true }),
    () => signedMalformed('short-length', 'Content-Length shorter than the body', 'short-length', { status: 400, reason: REASON.mismatch, orFromNode: true }),
    () => signedMalformed('length+chunked', 'Content-Length and chunked together', 'length+chunked', { status: 400, fromNode: true }),
    () => signedMalformed('double-length', 'two different Content-Length headers', 'double-length', { status: 400, fromNode: true }),
    () => signedMalformed('bad-length', 'Content-Length that is not a number', 'bad-length', { status: 400, fromNode: true }),
    () => {
      // No Content-Length and no chunking: the request has no body.
      const c = signedMalformed('no-length', 'POST without Content-Length or Transfer-Encoding', 'no-length', { status: 400, reason: REASON.empty });
      c.body = Buffer.alloc(0);
      return c;
    },
    () => signedMalformed('long-length', 'Content-Length longer than the body, then EOF', 'long-length', { status: 400, fromNode: true }),
    () => {
      const c = signedMalformed('gzip-garbage', 'Content-Encoding gzip/deflate/br over plain bytes', 'length', { status: 400, reason: REASON.unreadable });
      c.headers.push(['Content-Encoding', pick(rnd, ['gzip', 'deflate', 'br'])]);
      return c;
    },
    () => {
      const c = signedMalformed('unknown-encoding', 'Content-Encoding the parser does not know', 'length', { status: 415, reason: REASON.unreadable });
      c.headers.push(['Content-Encoding', pick(rnd, ['compress', 'x-fuzz', 'zstd', 'gzip, x-fuzz'])]);
      return c;
    },
    () => {
      // Gzip of a truncated event, signed over the inflated bytes: inflated, then refused as JSON.
      const c = signedMalformed('gzip-truncated', 'valid gzip of truncated JSON', 'length', { status: 400, reason: REASON.notJson });
      c.body = gzipSync(Buffer.from(malformed));
      c.headers.push(['Content-Encoding', 'gzip']);
      return c;
    },
    () => {
      const c = signedMalformed('gzip-cut', 'gzip stream cut short', 'length', { status: 400, reason: REASON.unreadable });
      const gz = gzipSync(Buffer.from(eventJson));
      c.body = gz.subarray(0, 10 + int(rnd, gz.length - 12));
      c.headers.push(['Content-Encoding', 'gzip']);
      return c;
    },
    () => {
      if (budget.big <= 0) return signedMalformed('chunked', 'chunked transfer of truncated JSON', 'chunked', { status: 400, reason: REASON.notJson });
      budget.big--;
      // A few KiB on the wire that inflate past the limit.
      const c = signedMalformed('gzip-bomb', 'gzip that inflates past 1 MiB', 'length', { status: 413, reason: REASON.tooLarge });
      c.body = gzipSync(Buffer.alloc(LIMIT + 1 + int(rnd, LIMIT), 0x20));
      c.headers.push(['Content-Encoding', 'gzip']);
      return c;
    },
    () => {
      if (budget.big <= 0) return signedMalformed('short-length', 'Content-Length shorter than the body', 'short-length', { status: 400, reason: REASON.mismatch, orFromNode: true });
      budget.big--;
      const body = Buffer.from(JSON.stringify({ id: 'evt_big', type: 'checkout.session.completed', data: { object: { blob: 'y'.repeat(LIMIT + int(rnd, 64 * 1024)) } } }));
      const c = base('framing.over-limit', 'signed event over 1 MiB', body, { status: 413, reason: REASON.tooLarge }, [['Stripe-Signature', `t=${now()},v1=${hex(rnd, 64)}`]]);
      c.framing = rnd() < 0.5 ? 'length' : 'chunked';
      return c;
    },
    () => ({ ...signedMalformed('no-host', 'HTTP/1.1 request without Host', 'length', { status: 400, fromNode: true }), noHost: true }),
  ];
  return pick(rnd, variants)();
}

const BAD_IDS = [
  'not-a-flow',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '1',
  '-1',
  'null',
  'undefined',
  '%20',
  '%E2%98%83',
  '%F0%9F%94%91',
  '..%2F..%2Fapi%2Fflows',
  '%2e%2e',
  "'%20OR%201=1--",
  'x'.repeat(300),
  '{{flowId}}',
  '__proto__',
  'constructor',
];

/** Unknown, malformed or unusable flow ids in the path: nothing to deliver to. */
function pathCase(rnd: Rnd, base: Base, eventJson: string, ctx: Context): Case {
  const body = Buffer.from(eventJson);
  const signed: HeaderLine[] = [['Stripe-Signature', sign(eventJson)]];
  const p = (kind: string, note: string, path: string, expect: Expectation) => {
    const c = base(`path.${kind}`, note, body, expect, [...signed]);
    c.path = path;
    return c;
  };
  const noFlow: Expectation = { status: 404, reason: REASON.noFlow };
  const noRoute: Expectation = { status: 404, reason: REASON.noRoute };
  const variants: Array<() => Case> = [
    () => p('unknown-uuid', 'a random v4 uuid', `/hooks/stripe/${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-8${hex(rnd, 3)}-${hex(rnd, 12)}`, noFlow),
    () => p('malformed-id', 'not a uuid', `/hooks/stripe/${pick(rnd, BAD_IDS)}`, noFlow),
    () => p('random-id', 'random characters', `/hooks/stripe/${alnum(rnd, 1 + int(rnd, 80))}`, noFlow),
    () => p('uuid-prefix', 'the flow id with a suffix', `/hooks/stripe/${ctx.flowId}${pick(rnd, ['0', 'x', '%20', '-', '..'])}`, noFlow),
    // A NUL anywhere in a URL is refused before routing, whatever the route.
    () => p('nul-in-path', 'the flow id with a NUL', `/hooks/stripe/${ctx.flowId}%00`, { status: 400, reason: /^Text may not contain the NUL character/ }),
    () => p('uuid-cut', 'the flow id cut short', `/hooks/stripe/${ctx.flowId.slice(0, 1 + int(rnd, 35))}`, noFlow),
    () => p('unpublished', 'a flow that was never published', `/hooks/stripe/${ctx.unpublishedId}`, noFlow),
    () => p('no-stripe-trigger', 'a published flow with a manual trigger', `/hooks/stripe/${ctx.manualFlowId}`, noFlow),
    () => p('no-id', 'no flow id at all', pick(rnd, ['/hooks/stripe', '/hooks/stripe/', '/hooks/', '/hooks']), noRoute),
    () => p('extra-segment', 'a path below the flow', `/hooks/stripe/${ctx.flowId}/${pick(rnd, ['x', 'events', '..', 'a/b'])}`, noRoute),
    () => p('bad-percent', 'broken percent-encoding', `/hooks/stripe/${pick(rnd, ['%', '%zz', '%E0%A4%A', '%C0%AF', 'a%2'])}`, { status: 400, reason: /^Failed to decode param '/ }),
    () => p('long-path', 'a path over the head limit', `/hooks/stripe/${'a'.repeat(MAX_HEAD + int(rnd, 4096))}`, { status: 431, fromNode: true }),
    () => p('raw-unicode', 'raw UTF-8 bytes in the path', latin1(`/hooks/stripe/${pick(rnd, ['☃', 'ünïcödé', '🔑'])}`), { status: 400, fromNode: true }),
  ];
  return pick(rnd, variants)();
}

/** Any method but POST: the route does not exist for it. */
function methodCase(rnd: Rnd, base: Base, eventJson: string): Case {
  const method = pick(rnd, ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
  const withBody = method !== 'GET' && method !== 'HEAD' && rnd() < 0.7;
  const body = withBody ? Buffer.from(eventJson) : Buffer.alloc(0);
  const c = base(`method.${method}`, `${method} with${withBody ? '' : 'out'} a signed body`, body, { status: 404, reason: method === 'HEAD' ? undefined : REASON.noRoute }, [['Stripe-Signature', sign(eventJson)]]);
  c.method = method;
  return c;
}

/** The exact bytes of a case's request. */
function wire(c: Case, port: number, rnd: Rnd): Buffer {
  const lines = [`${c.method} ${c.path} HTTP/1.1`];
  if (!c.noHost) lines.push(`Host: 127.0.0.1:${port}`);
  lines.push('Connection: close');
  for (const [k, v] of c.headers) lines.push(`${k}: ${v}`);
  const body = c.body;
  let payload = body;
  switch (c.framing) {
    case 'length':
    case 'long-length':
      if (body.length || c.method !== 'GET') lines.push(`Content-Length: ${body.length + (c.framing === 'long-length' ? 1 + int(rnd, 100) : 0)}`);
      break;
    case 'short-length':
      lines.push(`Content-Length: ${Math.max(1, body.length - 1 - int(rnd, 10))}`);
      break;
    case 'no-length':
      break;
    case 'bad-length':
      lines.push(`Content-Length: ${pick(rnd, ['-1', 'abc', '1.5', '0x10', `${body.length} ${body.length}`, '99999999999999999999999'])}`);
      break;
    case 'double-length':
      lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
      break;
    case 'chunked':
    case 'bad-chunked':
    case 'length+chunked': {
      lines.push('Transfer-Encoding: chunked');
      if (c.framing === 'length+chunked') lines.push(`Content-Length: ${body.length}`);
      const parts: Buffer[] = [];
      for (let at = 0; at < body.length; ) {
        const n = Math.min(body.length - at, 1 + int(rnd, body.length > 100_000 ? 200_000 : 700));
        parts.push(Buffer.from(`${c.framing === 'bad-chunked' && at === 0 ? 'zz' : n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
        at += n;
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      payload = Buffer.concat(parts);
      break;
    }
  }
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), payload]);
}

/** The payload of a chunked response (the first response only; trailers ignored). */
function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const eol = data.indexOf('\r\n', at);
    const size = eol < 0 ? NaN : parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

interface Reply {
  status: number;
  headers: string;
  body: string;
  /** What went wrong on the socket, if no complete reply came back. */
  error?: string;
}

/** Sends raw bytes on a fresh connection and reads the first response; never rejects. */
function send(port: number, bytes: Buffer, halfClose: boolean, timeoutMs = 20_000): Promise<Reply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ port, host: '127.0.0.1' });
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = (headEnd < 0 ? raw : raw.subarray(0, headEnd)).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
      const rest = headEnd < 0 ? Buffer.alloc(0) : raw.subarray(headEnd + 4);
      const body = (Number.isFinite(length) ? rest.subarray(0, length) : /\r\ntransfer-encoding: *chunked/i.test(head) ? dechunk(rest) : rest).toString('utf8');
      resolve({ status, headers: head, body, error: status ? undefined : (error ?? 'no response') });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // EPIPE/ECONNRESET once the server has answered early (413) are expected: keep what arrived.
    socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    socket.on('connect', async () => {
      for (let at = 0; at < bytes.length && !settled && !chunks.length; at += 64 * 1024) {
        if (!socket.write(bytes.subarray(at, at + 64 * 1024))) await new Promise((r) => socket.once('drain', r));
      }
      if (halfClose && !settled) socket.end();
    });
  });
}

interface Outcome {
  c: Case;
  reply: Reply;
}

function describeCase(c: Case): string {
  const sig = serverView(c.headers);
  return `seed ${SEED} case #${c.index} [${c.kind}] ${c.note}: ${c.method} ${c.path.slice(0, 120)} framing=${c.framing} sig=${JSON.stringify(sig?.slice(0, 120) ?? null)} body(${c.body.length})=${JSON.stringify(c.body.subarray(0, 120).toString('latin1'))}`;
}

/** Everything wrong with one reply, as sentences; empty when it is exactly what the case expects. */
function check(c: Case, reply: Reply): string[] {
  const problems: string[] = [];
  if (reply.error) return [`no reply (${reply.error})`];
  const e = c.expect;
  if (e.orFromNode && reply.status === e.status && reply.body === '' && /\r\nconnection: *close/i.test(reply.headers)) return [];
  if (reply.status >= 500) problems.push(`server error ${reply.status}`);
  if (reply.status !== e.status) problems.push(`status ${reply.status}, expected ${e.status}`);
  if (reply.headers.includes(SECRET) || reply.body.includes(SECRET) || reply.body.includes('whsec_')) problems.push('the reply echoes the signing secret');
  if (e.fromNode) {
    if (reply.body !== '') problems.push(`expected Node's bare ${e.status}, got a body`);
    return problems;
  }
  if (c.method === 'HEAD') return problems;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    problems.push('body is not JSON');
    return problems;
  }
  const { statusCode, message } = (parsed ?? {}) as { statusCode?: unknown; message?: unknown };
  if (statusCode !== reply.status) problems.push(`body statusCode ${String(statusCode)}`);
  if (typeof message !== 'string' || !message.length || message.length > 160) problems.push(`message is not a short string: ${JSON.stringify(message)?.slice(0, 200)}`);
  else if (e.reason && !e.reason.test(message)) problems.push(`message ${JSON.stringify(message)} does not match ${e.reason}`);
  if (!/application\/json/i.test(/\r\ncontent-type: *([^\r]*)/i.exec(reply.headers)?.[1] ?? '')) problems.push('content-type is not JSON');
  return problems;
}

describe('Stripe webhook intake under fuzzing', () => {
  let app: TestApp;
  let admin: HttpClient;
  let db: Client;
  let port: number;
  let ctx: Context;
  let credentialId: string;

  const count = async (table: 'trigger_events' | 'runs') => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

  async function createFlow(doc: unknown, publish: boolean): Promise<string> {
    const created = await admin.post<{ id: string }>('/api/flows', doc);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (publish) expect((await admin.post(`/api/flows/${created.body.id}/publish`, {})).status).toBe(200);
    return created.body.id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    port = Number(new URL(app.url).port);
    admin = await new HttpClient(app.url).login();
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const cred = await admin.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'fuzz endpoint', secret: SECRET });
    expect(cred.status).toBe(201);
    credentialId = cred.body.id;
    const stripeFlow = {
      schema: 'handoff.flow/1',
      name: 'Stripe fuzz',
      nodes: [
        { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['checkout.session.completed'], signingSecret: { credential: credentialId } } },
        { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
      ],
      edges: [{ id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' }],
    };
    const manualFlow = { schema: 'handoff.flow/1', name: 'manual', nodes: [{ id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} }], edges: [] };
    ctx = {
      flowId: await createFlow(stripeFlow, true),
      unpublishedId: await createFlow({ ...stripeFlow, name: 'never published' }, false),
      manualFlowId: await createFlow(manualFlow, true),
    };
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it(`answers ${CASES} malformed webhook requests with 4xx only, stores nothing, and still takes a valid event`, async () => {
    const started = Date.now();
    const rnd = prng(SEED);
    const budget = { big: 8 };
    const cases: Array<{ c: Case; bytes: Buffer }> = [];
    for (let i = 0; i < CASES; i++) {
      const c = generate(rnd, i, ctx, budget);
      // A generator slip that produced a request the SDK would accept is a bug in this test, not in the app.
      if (c.path === `/hooks/stripe/${ctx.flowId}` && c.method === 'POST' && c.framing === 'length' && !c.headers.some(([k]) => /content-encoding/i.test(k))) {
        expect(legitDelivery(c.body, c.headers), `generator produced a valid delivery: ${describeCase(c)}`).toBe(false);
      }
      cases.push({ c, bytes: wire(c, port, rnd) });
    }

    const outcomes: Outcome[] = new Array(cases.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) {
          const { c, bytes } = cases[next++];
          outcomes[c.index] = { c, reply: await send(port, bytes, c.framing === 'long-length') };
        }
      }),
    );

    const statuses = new Map<number, number>();
    /** Wrong replies by case kind: how many, and the first two in full. */
    const failures = new Map<string, string[]>();
    let failed = 0;
    for (const { c, reply } of outcomes) {
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const problems = check(c, reply);
      if (!problems.length) continue;
      failed++;
      const list = failures.get(c.kind) ?? [];
      list.push(`${describeCase(c)}\n    -> ${problems.join('; ')}; reply ${reply.status} ${reply.body.slice(0, 200)}`);
      failures.set(c.kind, list);
    }
    const distribution = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    const report = [...failures.entries()].map(([kind, list]) => `${kind}: ${list.length} wrong\n  ${list.slice(0, 2).join('\n  ')}`).join('\n');
    // Soft, so that a wrong reply still lets the checks below say whether anything was stored.
    expect.soft(failed, `seed ${SEED}: ${failed} of ${CASES} cases wrong (statuses ${distribution}):\n${report}`).toBe(0);
    expect.soft([...statuses.keys()].every((s) => s >= 400 && s < 500), distribution).toBe(true);

    // Still up, still serving, and nothing from the fuzz was stored.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await count('trigger_events')).toBe(0);
    expect(await count('runs')).toBe(0);

    const valid = JSON.stringify(stripeEvent(prng(SEED + 1)));
    const res = await fetch(`${app.url}/hooks/stripe/${ctx.flowId}`, { method: 'POST', body: valid, headers: { 'content-type': 'application/json', 'stripe-signature': sign(valid) } });
    const ack = (await res.json()) as { received?: boolean; duplicate?: boolean; runId?: string };
    expect(res.status).toBe(200);
    expect(ack).toEqual({ received: true, duplicate: false, runId: expect.any(String) });
    expect(await count('trigger_events')).toBe(1);
    expect(await count('runs')).toBe(1);
    const { rows } = await db.query<{ event_id: string; run_id: string }>(`SELECT trigger_key AS event_id, run_id FROM trigger_events`);
    expect(rows).toEqual([{ event_id: JSON.parse(valid).id, run_id: ack.runId }]);
    expect(Date.now() - started, 'fuzz run time (ms)').toBeLessThan(60_000);
  }, 120_000);

  /**
   * Correctly signed events with hostile but parseable content. Whether such an event is
   * accepted (200, stored) or refused (400) is the app's call; a 5xx is not, and a 200 must
   * have stored exactly that event.
   */
  it('answers odd but parseable signed events with 200 or 400, never 5xx, and stores exactly the accepted ones', async () => {
    const rnd = prng(SEED + 2);
    const edgeFlowId = await createFlow(
      {
        schema: 'handoff.flow/1',
        name: 'Stripe fuzz, odd events',
        nodes: [{ id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['checkout.session.completed'], signingSecret: { credential: credentialId } } }],
        edges: [],
      },
      true,
    );
    const event = () => stripeEvent(rnd);
    const withObject = (extra: Record<string, unknown>) => {
      const e = event();
      const data = e.data as { object: Record<string, unknown> };
      return { ...e, data: { object: { ...data.object, ...extra } } };
    };
    const PROTO_KEYS = ['__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'toString', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__'];
    const cases: Array<[string, Buffer]> = [
      ['BOM before the event', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(event()))])],
      ['invalid UTF-8 inside a string', Buffer.from(JSON.stringify(withObject({ metadata: { note: 'XX' } })).replace('XX', '\u00ff\u00fe'), 'latin1')],
      ['lone high surrogate escape', Buffer.from(JSON.stringify(withObject({ metadata: { note: 'XX' } })).replace('XX', '\\ud800'))],
      ['lone low surrogate escape in a key', Buffer.from(JSON.stringify(withObject({ XX: 1 })).replace('XX', 'k\\udc00'))],
      ...PROTO_KEYS.map((k): [string, Buffer] => [`type ${k}`, Buffer.from(JSON.stringify({ ...event(), type: k }))]),
      ...PROTO_KEYS.map((k): [string, Buffer] => [`data.object.object ${k}`, Buffer.from(JSON.stringify(withObject({ object: k })))]),
      ...PROTO_KEYS.map((k): [string, Buffer] => [`payment_status ${k}`, Buffer.from(JSON.stringify(withObject({ payment_status: k })))]),
      ['id of 3,000 random characters', Buffer.from(JSON.stringify({ ...event(), id: `evt_${alnum(rnd, 3_000)}` }))],
      ['id of 10,000 random characters', Buffer.from(JSON.stringify({ ...event(), id: `evt_${alnum(rnd, 10_000)}` }))],
      ['type of 10,000 random characters', Buffer.from(JSON.stringify({ ...event(), type: alnum(rnd, 10_000) }))],
      ['customer id of 100,000 characters', Buffer.from(JSON.stringify(withObject({ customer: `cus_${alnum(rnd, 100_000)}` })))],
      ...[1_000, 5_000, 20_000, 100_000].map((depth): [string, Buffer] => [`data.object nested ${depth} deep`, Buffer.from(JSON.stringify(withObject({ deep: 'XX' })).replace('"XX"', nested(depth, '1', depth % 2 === 0)))]),
      ['50,000 metadata keys', Buffer.from(JSON.stringify(withObject({ metadata: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v'])) })))],
      ['numbers out of range', Buffer.from(JSON.stringify(withObject({ amount_total: 'XX' })).replace('"XX"', '1e400').replace('"created":1763000000', '"created":-1e400'))],
      ['duplicate id keys', Buffer.from(JSON.stringify(event()).replace('{"id":', '{"id":"evt_dup_first","id":'))],
    ];

    const failures: string[] = [];
    let accepted = 0;
    let runs = 0;
    for (const [i, [name, body]] of cases.entries()) {
      const c: Case = { index: i, kind: 'odd', note: name, method: 'POST', path: `/hooks/stripe/${edgeFlowId}`, headers: [['Stripe-Signature', signBytes(body)], ['Content-Type', 'application/json']], body, framing: 'length', expect: { status: 400 } };
      const reply = await send(port, wire(c, port, rnd), false);
      const label = `seed ${SEED + 2} odd case #${i} (${name})`;
      if (reply.status === 200) {
        const ack = JSON.parse(reply.body) as { received?: boolean; runId?: string; ignored?: boolean };
        if (ack.received !== true) failures.push(`${label}: 200 without received: ${reply.body.slice(0, 200)}`);
        accepted++;
        if (ack.runId) runs++;
        continue;
      }
      const problems = check(c, reply);
      if (problems.length) failures.push(`${label}: ${problems.join('; ')}; reply ${reply.status} ${reply.body.slice(0, 200)}`);
    }
    expect.soft(failures, `${failures.length} of ${cases.length} odd events answered wrongly:\n${failures.join('\n')}`).toEqual([]);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM trigger_events WHERE flow_id = $1`, [edgeFlowId]);
    expect(stored.rows[0].n).toBe(accepted);
    const started = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE flow_id = $1`, [edgeFlowId]);
    expect(started.rows[0].n).toBe(runs);
  }, 60_000);
});
