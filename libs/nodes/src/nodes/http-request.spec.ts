import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { httpRequest } from './http-request';

describe('http.request', () => {
  it('makes the call with the payment as JSON and the step’s idempotency key, and outputs the answer', async () => {
    const event = sampleEvent('checkout_paid');
    const { result, effects } = await runNode(
      httpRequest,
      { url: 'https://provision.example.com/accounts/{{ trigger.payment.customerId }}', headers: { Authorization: 'Bearer abc' } },
      { event, idempotencyKey: 'cs_test_1:provision' },
    );
    const call = effects.http[0];
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://provision.example.com/accounts/cus_QXg1o8vcGmoR32',
      headers: { Authorization: 'Bearer abc', 'Idempotency-Key': 'cs_test_1:provision', 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(call.body!)).toMatchObject({ status: 'cleared', amount: 250000, email: 'client@example.com' });
    expect(result).toEqual({ port: 'out', output: { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true, call: 1 } } });
  });

  it('keeps an Idempotency-Key or Content-Type the author set', async () => {
    const headers = { 'idempotency-key': 'mine', 'content-type': 'text/csv' };
    const { effects } = await runNode(httpRequest, { url: 'https://x.example.com', headers, body: 'a,b' }, { idempotencyKey: 'engine' });
    expect(effects.http[0].headers).toEqual(headers);
  });

  it('sends no body on GET', async () => {
    const { effects } = await runNode(httpRequest, { method: 'GET', url: 'https://x.example.com' }, {});
    expect(effects.http[0].body).toBeUndefined();
    expect(effects.http[0].headers).toEqual({});
  });

  it('retries three times by default', () => {
    expect(httpRequest.retry).toEqual({ attempts: 3 });
  });

  it('refuses a URL that is not http(s)', () => {
    expect(httpRequest.config.safeParse({ url: 'ftp://x' }).error?.issues[0].message).toBe('must start with http:// or https://');
    expect(httpRequest.config.safeParse({ url: '{{ steps.lookup.url }}' }).success).toBe(true);
  });
});
