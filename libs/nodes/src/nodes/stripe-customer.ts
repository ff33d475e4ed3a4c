import { z } from 'zod';
import { defineNode, type StripeCustomerResult } from '../define';
import { EFFECT, effectConfig } from './common';
import { customerOf, metadataOf, requireKey, stripeCredential, stripeCustomerFields } from './stripe-common';

export const stripeCustomer = defineNode({
  type: 'stripe.customer',
  kind: 'payment',
  label: 'Stripe customer',
  description: 'Finds the Stripe customer by id, else by e-mail, and creates it when there is none. Output: { customerId, email, created }.',
  config: effectConfig({
    credential: stripeCredential(),
    ...stripeCustomerFields,
    metadata: z.record(z.string(), z.string()).default({}).describe('Metadata for a new customer (name → template)'),
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  outbound: true,
  outputSample: (): StripeCustomerResult => ({ customerId: 'cus_QXg1o8vcGmoR32', email: 'client@example.com', created: false }),
  run: async (ctx, config) => {
    const customer = customerOf(config);
    if (!customer.customerId && !customer.email) throw new Error('Cannot find or create the customer: both the customer id and the e-mail are empty for this run');
    const result = await ctx.effects.stripe.customer({ credential: config.credential.credential, idempotencyKey: requireKey(ctx.idempotencyKey), ...customer, metadata: metadataOf(config.metadata) });
    return { port: 'out', output: result };
  },
});
