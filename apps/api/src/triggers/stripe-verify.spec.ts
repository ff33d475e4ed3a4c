import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '@handoff/nodes';
import { isSubscribed, refusalFor, verifyStripeEvent } from './stripe-verify';
import { mayBeUnstorable, unstorable } from './storable';

const SECRET = 'whsec_unit_test_secret';
const sign = (payload: string, opts: { secret?: string; timestamp?: number; scheme?: string } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp, scheme: opts.scheme });
const body = (s: string) => Buffer.from(s, 'utf8');

describe('verifyStripeEvent', () => {
  const payload = JSON.stringify(sampleEvent('checkout_paid'));

  it('accepts a correctly signed snapshot event and returns it parsed', () => {
    const res = verifyStripeEvent(body(payload), sign(payload), SECRET);
    expect(res.ok).toBe(true);
    expect(res.ok && res.event.type).toBe('checkout.session.completed');
  });

  it('accepts a header with several v1 signatures when any one matches (secret rotation)', () => {
    const good = sign(payload).split(',');
    const header = [good[0], 'v1=' + 'a'.repeat(64), good[1]].join(',');
    expect(verifyStripeEvent(body(payload), header, SECRET).ok).toBe(true);
  });

  it('ignores v0 signatures: a header with only a valid v0 is refused, a stray v0 next to a valid v1 is harmless', () => {
    const v0 = sign(payload, { scheme: 'v0' });
    expect(verifyStripeEvent(body(payload), v0, SECRET)).toMatchObject({ ok: false, outcome: 'bad_signature', message: expect.stringMatching(/No v1 signature/) });
    expect(verifyStripeEvent(body(payload), `${sign(payload)},v0=deadbeef`, SECRET).ok).toBe(true);
  });

  it.each([
    ['missing header', undefined, /Missing Stripe-Signature/],
    ['garbage header', 'hello', /Malformed Stripe-Signature/],
    ['wrong secret', sign(payload, { secret: 'whsec_other' }), /does not match/],
    ['stale timestamp', sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }), /more than 300 s old/],
  ])('refuses a %s as bad_signature with a short reason', (_name, header, reason) => {
    const res = verifyStripeEvent(body(payload), header, SECRET);
    expect(res).toMatchObject({ ok: false, outcome: 'bad_signature' });
    expect(!res.ok && res.message).toMatch(reason);
    expect(!res.ok && res.message.length).toBeLessThan(120);
  });

  it('refuses a body changed after signing', () => {
    const header = sign(payload);
    expect(verifyStripeEvent(body(payload.replace('250000', '1')), header, SECRET)).toMatchObject({ ok: false, outcome: 'bad_signature' });
  });

  it.each([
    ['empty body', '', /Empty body/],
    ['invalid JSON', '{"id": "evt_1", ', /not valid JSON/],
    ['JSON that is no event', '[1, 2, 3]', /not a Stripe event/],
    ['an object without id', '{"type": "checkout.session.completed"}', /not a Stripe event/],
    ['a v2 thin event', JSON.stringify({ id: 'evt_thin', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', related_object: { id: 'mtr_1' } }), /Thin/],
    ['an event without data.object', JSON.stringify({ id: 'evt_x', object: 'event', type: 'checkout.session.completed' }), /Thin/],
    ['an event holding a NUL character', JSON.stringify({ ...sampleEvent('checkout_paid'), id: 'evt_nul', note: 'a\u0000b' }), /NUL/],
    ['a NUL in a key', JSON.stringify({ ...sampleEvent('checkout_paid'), id: 'evt_nulkey', ['k\u0000']: 1 }), /NUL/],
    ['an unpaired surrogate escape', JSON.stringify(sampleEvent('checkout_paid')).replace('"livemode"', '"note":"\\ud800","livemode"'), /surrogate/],
    ['a byte order mark', '\ufeff' + JSON.stringify(sampleEvent('checkout_paid')), /byte order mark/],
    ['an id longer than any Stripe id', JSON.stringify({ ...sampleEvent('checkout_paid'), id: 'evt_' + 'x'.repeat(300) }), /at most 255/],
    ['nesting 20,000 levels deep', JSON.stringify({ ...sampleEvent('checkout_paid'), id: 'evt_deep' }).replace('"livemode"', `"deep":${'['.repeat(20_000)}${']'.repeat(20_000)},"livemode"`), /nested more than/],
  ])('refuses %s as malformed even when correctly signed', (_name, raw, reason) => {
    const res = verifyStripeEvent(body(raw), sign(raw), SECRET);
    expect(res).toMatchObject({ ok: false, outcome: 'malformed' });
    expect(!res.ok && res.message).toMatch(reason);
  });

  it('refuses a v1 whose bytes are not hex as a bad signature, not an error', () => {
    const t = Math.floor(Date.now() / 1000);
    expect(verifyStripeEvent(body(payload), `t=${t},v1=${'a'.repeat(63)}\u00e9`, SECRET)).toMatchObject({ ok: false, outcome: 'bad_signature' });
  });

  it('never puts the secret in a refusal', () => {
    for (const header of [undefined, 'x', sign(payload, { secret: 'whsec_other' }), sign('{}')]) {
      const res = verifyStripeEvent(body(payload), header, SECRET);
      expect(JSON.stringify(res)).not.toContain(SECRET);
    }
  });
});

describe('mayBeUnstorable', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('spares a typical event the walk, and never spares one the walk would refuse', () => {
    expect(mayBeUnstorable(body(JSON.stringify(sampleEvent('checkout_paid'))))).toBe(false);
    const cases = [
      JSON.stringify({ id: 'evt_1', note: 'a\u0000b' }),
      '{"id":"evt_1","note":"\\ud800"}',
      '{"id":"evt_1","k\\udc00":1}',
      nested(64),
      nested(65),
      `[${nested(70)}]`,
    ];
    for (const text of cases) {
      const problem = unstorable(JSON.parse(text));
      if (problem) expect(mayBeUnstorable(body(text)), text.slice(0, 40)).toBe(true);
    }
    expect(unstorable(JSON.parse(nested(65)))).toMatch(/nested more than 64/);
    expect(mayBeUnstorable(body(nested(63)))).toBe(false);
    expect(unstorable(JSON.parse(nested(63)))).toBeNull();
    // Raw (unescaped) surrogate bytes are not UTF-8: they decode to U+FFFD, which is storable.
    expect(unstorable(JSON.parse(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]).toString('utf8')))).toBeNull();
  });
});

describe('refusalFor', () => {
  it('leaves errors that are not the sender’s fault to the caller', () => {
    expect(refusalFor(new Error('database is down'))).toBeNull();
    expect(refusalFor(undefined)).toBeNull();
  });
});

describe('isSubscribed', () => {
  it('starts runs only for the listed types, or for all with *', () => {
    expect(isSubscribed(['checkout.session.completed'], 'checkout.session.completed')).toBe(true);
    expect(isSubscribed(['checkout.session.completed'], 'invoice.paid')).toBe(false);
    expect(isSubscribed(['*'], 'invoice.paid')).toBe(true);
    expect(isSubscribed(undefined, 'invoice.paid')).toBe(false);
  });
});
