import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { stripeEventTypesField } from '../stripe/event-types';
import { stripeTriggerOutput } from '../stripe/normalize-payment';
import { sampleEvent, sampleKindFor } from '../stripe/samples';

const DEFAULT_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded'];

export const stripeTrigger = defineNode({
  type: 'stripe.trigger',
  kind: 'trigger',
  label: 'Stripe payment',
  description:
    'Starts a run for each Stripe event sent to this flow’s webhook URL. Output: { event, payment } with the payment normalized (status cleared, pending, failed, refunded, disputed or other).',
  config: z
    .object({
      events: stripeEventTypesField({
        wildcard: true,
        defaults: DEFAULT_EVENTS,
        description: 'Stripe event types that start a run; other events are acknowledged and ignored',
      }),
      signingSecret: credentialField(
        ['stripe.signingSecret'],
        'Webhook signing secret (whsec_...) of the Stripe endpoint pointing at this flow',
      ),
      livemode: z
        .enum(['any', 'live', 'test'])
        .default('any')
        .describe('Which Stripe mode’s events start runs: a live flow can refuse test events (and a test flow live ones); the others are acknowledged and shown as ignored in its deliveries'),
      apiKey: credentialField(
        ['stripe.apiKey'],
        'Optional Stripe API key: lets Handoff create this endpoint in Stripe for you and check Stripe every 10 minutes for events that never arrived',
      ).optional(),
    })
    .strict(),
  ports: ['out'] as const,
  trigger: {
    hook: {
      path: 'stripe',
      help: 'In Stripe, add an endpoint with this URL for the events selected below, then save its signing secret as a credential here. Events arrive only while the flow is published and active.',
    },
    setup: { provider: 'Stripe', credentialKey: 'apiKey', path: 'stripe' },
    test: 'stripeEvent',
    // A sample of the first subscribed event type that has one; none (nothing judged) for types without.
    output: (config) => {
      // A half-filled config (no signing secret yet) arrives unparsed: its events may be missing.
      const kind = sampleKindFor(config.events ?? DEFAULT_EVENTS);
      return kind ? stripeTriggerOutput(sampleEvent(kind)) : undefined;
    },
  },
  // The engine builds `trigger` from the verified event before the first step runs.
  pure: true,
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
