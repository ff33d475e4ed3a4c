import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stripeTrigger } from '../nodes/stripe-trigger';
import { waitEvent } from '../nodes/wait-event';
import { ALL_STRIPE_EVENTS, groupStripeEventTypes, isKnownStripeEventType, STRIPE_EVENT_CATALOGUE, STRIPE_EVENT_TYPES, stripeEventGroup, type StripeEventType } from './event-types';

// Type-level: fails `tsc` when the stripe SDK learns an event type this catalogue lacks (or drops one it lists).
type SdkEventType = Exclude<Stripe.WebhookEndpointCreateParams.EnabledEvent, '*'>;
const sdkHasAllOurs: [StripeEventType] extends [SdkEventType] ? true : false = true;
const oursHasAllSdk: [SdkEventType] extends [StripeEventType] ? true : false = true;

describe('Stripe event catalogue', () => {
  it('matches the stripe SDK event types and lists each once', () => {
    expect(sdkHasAllOurs && oursHasAllSdk).toBe(true);
    expect(new Set(STRIPE_EVENT_TYPES).size).toBe(STRIPE_EVENT_TYPES.length);
    expect(STRIPE_EVENT_TYPES).toContain('checkout.session.completed');
  });

  it('groups a type by everything before its last segment', () => {
    expect(stripeEventGroup('customer.subscription.created')).toBe('customer.subscription');
    expect(stripeEventGroup('charge.refund.updated')).toBe('charge.refund');
    expect(stripeEventGroup('invoice.paid')).toBe('invoice');
  });

  it('puts the payment groups first and the rest alphabetically', () => {
    const groups = groupStripeEventTypes().map((g) => g.group);
    expect(groups.slice(0, 10)).toEqual([
      'checkout.session',
      'payment_intent',
      'charge',
      'charge.refund',
      'refund',
      'charge.dispute',
      'invoice',
      'invoice_payment',
      'customer.subscription',
      'customer',
    ]);
    const rest = groups.slice(16);
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b)));
    expect(groups).toHaveLength(new Set(groups).size);
  });

  it('filters by every word of the query, keeping whole groups whose name matches', () => {
    expect(groupStripeEventTypes(STRIPE_EVENT_TYPES, 'sub created')).toEqual([
      { group: 'customer.subscription', types: ['customer.subscription.created'] },
      { group: 'subscription_schedule', types: ['subscription_schedule.created'] },
    ]);
    const refund = groupStripeEventTypes(STRIPE_EVENT_TYPES, 'charge.refund');
    expect(refund).toEqual([
      { group: 'charge', types: ['charge.refunded'] },
      { group: 'charge.refund', types: ['charge.refund.updated'] },
    ]);
    expect(groupStripeEventTypes(STRIPE_EVENT_TYPES, 'no such event')).toEqual([]);
  });

  it('knows listed types and the wildcard, not unlisted ones', () => {
    expect(isKnownStripeEventType('invoice.paid')).toBe(true);
    expect(isKnownStripeEventType(ALL_STRIPE_EVENTS)).toBe(true);
    expect(isKnownStripeEventType('invoice.some_future_event')).toBe(false);
  });
});

describe('event type fields', () => {
  const events = (list: string[]) => stripeTrigger.config.safeParse({ events: list, signingSecret: { credential: 'c1' } });

  it('accept a well-formed type that is not in the catalogue', () => {
    expect(events(['checkout.session.completed', 'invoice.some_future_event']).success).toBe(true);
    expect(waitEvent.config.safeParse({ types: ['invoice.some_future_event'] }).success).toBe(true);
  });

  it('refuse typos with the reason, and * only where a wildcard makes sense', () => {
    const bad = events(['Checkout Session Completed']);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toBe('must be a Stripe event type such as checkout.session.completed, or * for every event');
    expect(events(['*']).success).toBe(true);
    const wait = waitEvent.config.safeParse({ types: ['*'] });
    expect(wait.error?.issues[0].message).toBe('must be a Stripe event type such as checkout.session.completed');
  });

  it('name the catalogue in their JSON Schema so the editor offers the picker', () => {
    const props = (s: z.ZodType) => (z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(props(stripeTrigger.config).events).toMatchObject({ catalogue: STRIPE_EVENT_CATALOGUE, wildcard: true, type: 'array' });
    expect(props(waitEvent.config).types).toMatchObject({ catalogue: STRIPE_EVENT_CATALOGUE, wildcard: false });
  });
});
