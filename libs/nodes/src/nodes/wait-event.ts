import { z } from 'zod';
import { defineNode } from '../define';
import { stripeEventTypesField } from '../stripe/event-types';
import { deadline, durationField } from './common';

export const waitEvent = defineNode({
  type: 'wait.event',
  kind: 'logic',
  label: 'Wait for event',
  description:
    'Waits for a Stripe event of the given types that matches, e.g. invoice.paid for this customer. Goes to "event" with the event as output, or to "timeout" when the deadline passes first.',
  config: z
    .object({
      types: stripeEventTypesField({ wildcard: false, defaults: ['invoice.paid'], description: 'Stripe event types to wait for' }),
      match: z
        .string()
        .default('event.data.object.customer = trigger.payment.customerId')
        .describe('JSONata condition over { event, trigger, steps } the event must meet; empty accepts any event of these types'),
      timeout: durationField('P7D', 'Give up and go to "timeout" after this ISO-8601 duration, e.g. P7D'),
    })
    .strict(),
  ports: ['event', 'timeout'] as const,
  // The engine evaluates `match` against each arriving event, so the node never renders it.
  expressionFields: ['match'],
  stripeEvents: (config) => config.types,
  // Events reach a waiting step through its own flow's Stripe webhook, which only a Stripe trigger has.
  onlyUnder: ['stripe.trigger'],
  run: async (ctx, config) => {
    if (!ctx.resume) {
      const until = deadline(ctx.now(), config.timeout);
      const match = config.match.trim() === '' ? undefined : config.match;
      return { wait: { until, event: { types: config.types, match }, output: { types: config.types, until } } };
    }
    if (ctx.resume.reason === 'event') return { port: 'event', output: ctx.resume.event };
    if (ctx.resume.reason === 'timer') return { port: 'timeout', output: { timedOutAt: ctx.now().toISOString() } };
    throw new Error('A wait for an event does not resume on a review decision');
  },
});
