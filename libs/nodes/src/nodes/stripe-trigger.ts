import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { stripeEventTypesField } from '../stripe/event-types';
import { stripeTriggerOutput } from '../stripe/normalize-payment';
import { sampleEvent } from '../stripe/samples';

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
        defaults: ['checkout.session.completed', 'checkout.session.async_payment_succeeded'],
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
    output: () => stripeTriggerOutput(sampleEvent('checkout_paid')),
  },
  // The engine builds `trigger` from the verified event before the first step runs.
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
