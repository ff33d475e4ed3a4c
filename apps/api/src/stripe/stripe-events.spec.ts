import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@handoff/nodes';
import { eventTypesOf, stripeTriggerOf } from './stripe-events';

const doc = (trigger: Record<string, unknown>, waits: string[][] = []): FlowDocument => ({
  schema: 'handoff.flow/1',
  name: 'f',
  nodes: [
    { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: trigger },
    ...waits.map((types, i) => ({ id: `w${i}`, type: 'wait.event', position: { x: 0, y: 0 }, config: { types } })),
  ],
  edges: [],
});

describe('eventTypesOf', () => {
  it('asks Stripe for the trigger’s events and those its steps wait for, once each', () => {
    expect(eventTypesOf(doc({ events: ['invoice.sent'] }, [['invoice.paid'], ['invoice.paid', 'invoice.voided']]))).toEqual(['invoice.paid', 'invoice.sent', 'invoice.voided']);
  });
  it('asks for the events that end a review too', () => {
    const withReview = doc({ events: ['checkout.session.completed'] });
    withReview.nodes.push({ id: 'hold', type: 'review', position: { x: 0, y: 0 }, config: { owner: 'finance@example.com', resolveOn: ['checkout.session.async_payment_failed'] } });
    expect(eventTypesOf(withReview)).toEqual(['checkout.session.async_payment_failed', 'checkout.session.completed']);
  });
  it('uses the trigger’s default events when none are saved, and * for everything', () => {
    expect(eventTypesOf(doc({}))).toEqual(['checkout.session.async_payment_succeeded', 'checkout.session.completed']);
    expect(eventTypesOf(doc({ events: ['*'] }, [['invoice.paid']]))).toEqual(['*']);
  });
});

describe('stripeTriggerOf', () => {
  it('reads the credentials of a Stripe trigger, and nothing for another trigger', () => {
    expect(stripeTriggerOf(doc({ apiKey: { credential: 'k' }, signingSecret: { credential: 's' } }))).toMatchObject({ nodeId: 'paid', apiKey: 'k', signingSecret: 's' });
    expect(stripeTriggerOf({ ...doc({}), nodes: [{ id: 'm', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} }] })).toBeNull();
  });
});
