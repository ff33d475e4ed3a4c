import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { manualTrigger } from './manual-trigger';
import { scheduleTrigger } from './schedule-trigger';
import { stripeTrigger } from './stripe-trigger';

describe('stripe.trigger', () => {
  it('passes the event and normalized payment on as its output', async () => {
    const event = sampleEvent('checkout_paid');
    const { result } = await runNode(stripeTrigger, { signingSecret: { credential: 'cred_1' } }, { event });
    expect(result).toEqual({ port: 'out', output: { event, payment: expect.objectContaining({ status: 'cleared', amount: 250000 }) } });
  });

  it('requires a signing secret and refuses malformed event types', () => {
    expect(stripeTrigger.config.safeParse({}).success).toBe(false);
    const bad = stripeTrigger.config.safeParse({ signingSecret: { credential: 'c' }, events: ['Checkout Completed'] });
    expect(bad.error?.issues[0].message).toMatch(/Stripe event type/);
  });
});

describe('manual.trigger', () => {
  it('passes the payload it was started with on as its output', async () => {
    const { result } = await runNode(manualTrigger, {}, { trigger: { customer: 'Acme' } });
    expect(result).toEqual({ port: 'out', output: { customer: 'Acme' } });
  });
});

describe('schedule.trigger', () => {
  it('passes the firing time on as its output', async () => {
    const { result } = await runNode(scheduleTrigger, {}, { trigger: { firedAt: '2026-01-05T09:00:00.000Z' } });
    expect(result).toEqual({ port: 'out', output: { firedAt: '2026-01-05T09:00:00.000Z' } });
  });

  it('refuses a cron schedule without 5 fields, saying why', () => {
    const parsed = scheduleTrigger.config.safeParse({ cron: '0 9 * *' });
    expect(parsed.error?.issues[0].message).toMatch(/^is not a valid schedule: A cron schedule has 5 fields/);
  });
});
