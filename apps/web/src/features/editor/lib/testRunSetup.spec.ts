import { getNodeType, type NodeDefinition } from '@handoff/nodes';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testRunBody, testRunSetupOf } from './testRunSetup';

const def = (type: string) => getNodeType(type)!;

describe('testRunSetupOf', () => {
  it('offers a Stripe trigger a sample checkout event', () => {
    const setup = testRunSetupOf(def('stripe.trigger'), {});
    expect(setup.mode).toBe('stripeEvent');
    expect(setup.initial).toMatchObject({ type: 'checkout.session.completed', data: { object: expect.any(Object) } });
  });

  it('prefills a CRM trigger’s payload from its sample, following its config', () => {
    const created = testRunSetupOf(def('crm.trigger'), { on: 'deal.created' });
    expect(created).toMatchObject({ mode: 'payload', initial: { deal: { title: 'Acme onboarding', stage: 'proposal' }, previous: null, change: { kind: 'deal.created' } } });
    const moved = testRunSetupOf(def('crm.trigger'), { on: 'deal.stage_changed', stage: 'paid_won' });
    expect(moved.initial).toMatchObject({ deal: { stage: 'paid_won' }, previous: { amount: 100000 } });
  });

  it('prefills a webhook trigger with a body and headers, and a schedule with its tick', () => {
    expect(testRunSetupOf(def('webhook.trigger'), { idField: 'id' }).initial).toMatchObject({ body: { id: 'order_1001' }, headers: expect.any(Object) });
    expect(testRunSetupOf(def('schedule.trigger'), {}).initial).toEqual({ firedAt: expect.any(String), scheduledFor: expect.any(String) });
  });

  it('uses a manual trigger’s configured sample', () => {
    expect(testRunSetupOf(def('manual.trigger'), { sample: { customer: 'Acme' } })).toEqual({ mode: 'payload', initial: { customer: 'Acme' } });
    expect(testRunSetupOf(def('manual.trigger'), {})).toEqual({ mode: 'payload', initial: {} });
  });

  it('falls back to the config’s sample when a trigger declares none, or its sample throws', () => {
    const bare: NodeDefinition = { type: 'x.trigger', kind: 'trigger', label: 'X', description: '', config: z.object({ sample: z.unknown() }), ports: ['out'], trigger: { test: 'payload' } };
    expect(testRunSetupOf(bare, { sample: { a: 1 } }).initial).toEqual({ a: 1 });
    const throwing: NodeDefinition = { ...bare, trigger: { test: 'payload', sample: () => { throw new Error('no'); } } };
    expect(testRunSetupOf(throwing, {}).initial).toEqual({});
    expect(testRunSetupOf(undefined, {})).toEqual({ mode: 'payload', initial: {} });
  });
});

describe('testRunBody', () => {
  it('sends a Stripe event as `event` and anything else as `payload`', () => {
    expect(testRunBody('stripeEvent', { id: 'evt_1' })).toEqual({ event: { id: 'evt_1' } });
    expect(testRunBody('payload', { a: 1 })).toEqual({ payload: { a: 1 } });
  });
});
