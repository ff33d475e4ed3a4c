import { z } from 'zod';
import { defineNode, type StripeRefundResult } from '../define';
import { EFFECT, effectConfig } from './common';
import { metadataOf, requireKey, stripeCredential } from './stripe-common';
import { minorUnits, optionalText } from './values';

export const stripeRefund = defineNode({
  type: 'stripe.refund',
  kind: 'payment',
  label: 'Stripe refund',
  description: 'Refunds a payment (payment intent or charge), all that is left or an amount. Its Idempotency-Key makes a retried or replayed step refund once. Output: { refundId, status, amount, currency, payment }.',
  config: effectConfig({
    credential: stripeCredential(),
    payment: z.string().default('{{ trigger.event.data.object.payment_intent }}').describe('Payment intent (pi_…) or charge (ch_…) to refund'),
    amount: z.string().default('').describe('Minor units (cents) to refund; empty refunds all that is left'),
    reason: z.enum(['', 'duplicate', 'fraudulent', 'requested_by_customer']).default('').describe('Reason Stripe records'),
    metadata: z.record(z.string(), z.string()).default({}).describe('Refund metadata (name → template)'),
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  outbound: true,
  outputSample: (): StripeRefundResult => ({ refundId: 're_3QXg1o8vcGmoR32', status: 'succeeded', amount: 250000, currency: 'usd', payment: 'pi_3QXg1o8vcGmoR32' }),
  run: async (ctx, config) => {
    const payment = optionalText(config.payment);
    if (!payment || !/^(pi|ch)_[A-Za-z0-9]+$/.test(payment)) throw new Error(`payment must be a payment intent (pi_…) or charge (ch_…) id, got ${JSON.stringify(payment)}`);
    const result = await ctx.effects.stripe.refund({
      credential: config.credential.credential,
      idempotencyKey: requireKey(ctx.idempotencyKey),
      payment,
      amount: minorUnits(config.amount, 'amount'),
      reason: config.reason || null,
      metadata: metadataOf(config.metadata),
    });
    return { port: 'out', output: result };
  },
});
