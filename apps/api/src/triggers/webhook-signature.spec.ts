import { describe, expect, it } from 'vitest';
import { deliveryId, signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whk_test_0123456789abcdef';
const body = Buffer.from('{"id":"order_1","amount":100}');
const now = 1_800_000_000;

describe('verifyWebhookSignature', () => {
  it('accepts a signature made with the secret over "<t>.<body>"', () => {
    expect(verifyWebhookSignature(signWebhook(secret, body, now), body, secret, now)).toEqual({ ok: true });
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const good = signWebhook(secret, body, now).split('v1=')[1];
    expect(verifyWebhookSignature(`t=${now},v1=${'0'.repeat(64)},v1=${good}`, body, secret, now).ok).toBe(true);
  });

  it('refuses a body changed after signing, another secret, and a missing header', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(header, Buffer.from('{"id":"order_1","amount":999}'), secret, now)).toMatchObject({ ok: false, message: expect.stringMatching(/does not match/) });
    expect(verifyWebhookSignature(header, body, 'another-secret-xxxxxxxx', now).ok).toBe(false);
    expect(verifyWebhookSignature(undefined, body, secret, now)).toMatchObject({ ok: false, message: expect.stringMatching(/Missing/) });
  });

  it('refuses a timestamp more than 300 s away, either way', () => {
    expect(verifyWebhookSignature(signWebhook(secret, body, now - 301), body, secret, now)).toMatchObject({ ok: false, message: expect.stringMatching(/300 s/) });
    expect(verifyWebhookSignature(signWebhook(secret, body, now + 301), body, secret, now).ok).toBe(false);
    expect(verifyWebhookSignature(signWebhook(secret, body, now - 299), body, secret, now).ok).toBe(true);
  });

  it('refuses malformed headers with the reason', () => {
    expect(verifyWebhookSignature('v1=abc', body, secret, now)).toMatchObject({ ok: false, message: expect.stringMatching(/no timestamp/) });
    expect(verifyWebhookSignature(`t=${now},v1=zz`, body, secret, now)).toMatchObject({ ok: false, message: expect.stringMatching(/no v1/) });
    expect(verifyWebhookSignature('garbage', body, secret, now).ok).toBe(false);
  });
});

describe('deliveryId', () => {
  it('reads the id field, nested with dots, as text', () => {
    expect(deliveryId({ id: 'order_1' }, 'id', undefined)).toBe('order_1');
    expect(deliveryId({ data: { id: 42 } }, 'data.id', undefined)).toBe('42');
  });

  it('falls back to the Idempotency-Key header, else null', () => {
    expect(deliveryId({ other: 1 }, 'id', 'key-7')).toBe('key-7');
    expect(deliveryId({ id: '' }, 'id', undefined)).toBeNull();
    expect(deliveryId([1, 2], 'id', undefined)).toBeNull();
    expect(deliveryId({ id: { nested: true } }, 'id', '  ')).toBeNull();
  });

  it('does not read inherited properties', () => {
    expect(deliveryId({}, 'constructor', undefined)).toBeNull();
  });
});
