import { z } from 'zod';
import { defineNode, type StripeInvoiceResult } from '../define';
import { EFFECT, effectConfig } from './common';
import { customerOf, metadataOf, requireKey, stripeCredential, stripeCustomerFields } from './stripe-common';
import { minorUnits, optionalText, text } from './values';

const item = z
  .object({
    description: z.string().min(1).describe('Line text, e.g. {{ trigger.deal.product }}'),
    amount: z.string().min(1).describe('Unit amount in minor units (cents), e.g. {{ trigger.deal.amount }}'),
    currency: z.string().min(1).describe('Three-letter currency, e.g. {{ trigger.deal.currency }}'),
    quantity: z.number().int().min(1).max(10_000).default(1),
  })
  .strict();

export const stripeInvoice = defineNode({
  type: 'stripe.invoice',
  kind: 'payment',
  label: 'Stripe invoice',
  description:
    'Finds or creates the customer, then makes the deal\'s invoice bill these items: an invoice that already does is kept (found); otherwise the live one is voided (a draft deleted) and a new one created, finalized and e-mailed (send). Never two live invoices for one deal, whatever order its runs finish in: an invoice made from a newer version of the deal is left as it is. Every write carries an Idempotency-Key, so retries and replays land on the same invoice. Output: { customerId, invoiceId, invoiceUrl, status, number, amountDue, replaced, action }.',
  config: effectConfig({
    credential: stripeCredential(),
    customer: z.object(stripeCustomerFields).strict().default({ email: '{{ trigger.deal.contact.email }}', name: '{{ trigger.deal.contact.name }}', customerId: '{{ trigger.deal.contact.stripeCustomerId }}' })
      .describe('Who is invoiced: found by customer id, else e-mail, else created'),
    items: z
      .array(item)
      .min(1, 'needs at least one item')
      .max(250)
      .default([{ description: '{{ trigger.deal.product ? trigger.deal.product : trigger.deal.title }}', amount: '{{ trigger.deal.amount }}', currency: '{{ trigger.deal.currency }}', quantity: 1 }])
      .describe('Invoice lines; the invoice totals their amounts'),
    existingInvoiceId: z.string().default('').describe('Invoice this one replaces when the deal\'s own invoices (metadata handoff_deal_id) do not lead to it, e.g. {{ trigger.deal.stripe.invoiceId }}'),
    version: z
      .string()
      .default('{{ trigger.change.seq }}')
      .describe('The version of the deal the items come from (a whole number, e.g. {{ trigger.change.seq }}): an invoice already made from a newer version is kept, so a late run never brings back an older amount'),
    daysUntilDue: z.number().int().min(1).max(365).default(30).describe('Days the client has to pay'),
    send: z.boolean().default(true).describe('E-mail the invoice to the customer once finalized'),
    metadata: z.record(z.string(), z.string()).default({ handoff_deal_id: '{{ trigger.deal.id }}' }).describe('Invoice metadata (name → template); handoff_deal_id keeps one live invoice per deal'),
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  outbound: true,
  outputSample: (): StripeInvoiceResult => ({
    customerId: 'cus_QXg1o8vcGmoR32',
    invoiceId: 'in_1QXg2o8vcGmoR32',
    invoiceUrl: 'https://invoice.stripe.com/i/acct_1/test_sample',
    status: 'open',
    number: 'A1B2C3D4-0001',
    amountDue: 120000,
    currency: 'usd',
    replaced: null,
    action: 'created',
  }),
  run: async (ctx, config) => {
    const customer = customerOf(config.customer);
    if (!customer.customerId && !customer.email) throw new Error('Cannot invoice: both the customer id and the e-mail are empty for this run');
    const items = config.items.map((it, i) => {
      const amount = minorUnits(it.amount, `items[${i}].amount`);
      if (amount === null || amount < 0) throw new Error(`items[${i}].amount is empty or negative`);
      const currency = text(it.currency).trim().toLowerCase();
      if (!/^[a-z]{3}$/.test(currency)) throw new Error(`items[${i}].currency must be a three-letter currency code, got ${JSON.stringify(currency)}`);
      return { description: text(it.description).trim() || 'Invoice item', amount, currency, quantity: it.quantity };
    });
    if (new Set(items.map((i) => i.currency)).size > 1) throw new Error('All items of one invoice must be in the same currency');
    const result = await ctx.effects.stripe.invoice({
      credential: config.credential.credential,
      idempotencyKey: requireKey(ctx.idempotencyKey),
      customer,
      items,
      existingInvoiceId: optionalText(config.existingInvoiceId),
      version: optionalText(config.version),
      daysUntilDue: config.daysUntilDue,
      send: config.send,
      metadata: metadataOf(config.metadata),
    });
    return { port: 'out', output: result };
  },
});
