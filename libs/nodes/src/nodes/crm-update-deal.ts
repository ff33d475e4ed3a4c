import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { credentialTypesFor, providerChoice, providerLabel } from '../providers';
import { EFFECT, effectConfig } from './common';
import { minorUnits, optionalText, textRecord } from './values';

export const crmUpdateDeal = defineNode({
  type: 'crm.updateDeal',
  kind: 'crm',
  label: 'Update CRM deal',
  description:
    'Creates or updates the contact and deal for the Stripe customer and sets its stage, amount and product. In the built-in CRM the deal that records this Stripe payment (stripe.paymentIntentId) is the one updated, so a refund or a later event of the same payment finds the deal it made; otherwise the contact (by customer id, falling back to e-mail) and its open deal for the product. Output: the deal as the CRM returns it.',
  config: effectConfig({
    connection: providerChoice('deals').default('builtin').describe('Which CRM holds the deal; the built-in one feeds the handoff board'),
    credential: credentialField(credentialTypesFor('deals'), 'HubSpot or Salesforce credential (not needed for the built-in CRM)').optional(),
    customerId: z.string().default('{{ trigger.payment.customerId }}').describe('Stripe customer id the deal is keyed by'),
    email: z.string().default('{{ trigger.payment.email }}').describe('Contact e-mail; also the key when there is no customer id'),
    name: z.string().default('{{ trigger.payment.name }}').describe('Contact name'),
    dealId: z.string().default('').describe('Update this built-in CRM deal (e.g. {{ trigger.deal.id }}) instead of finding it by customer'),
    stage: z.string().trim().default('paid_won').describe('Deal stage to set, e.g. paid_won or payment_review; empty keeps the stage (with a deal id)'),
    amount: z.string().default('{{ trigger.payment.amount }}').describe('Deal amount in minor units (cents)'),
    currency: z.string().default('{{ trigger.payment.currency }}').describe('Three-letter currency code, e.g. usd'),
    product: z.string().default('{{ trigger.payment.metadata.product }}').describe('Product or package sold'),
    fields: z.record(z.string(), z.string()).default({}).describe('Extra deal properties to set (name → template)'),
    stripe: z
      .object({
        customerId: z.string().optional(),
        invoiceId: z.string().optional(),
        invoiceUrl: z.string().optional(),
        paymentStatus: z.string().optional(),
        paymentIntentId: z.string().optional(),
      })
      .strict()
      .default({ paymentIntentId: '{{ trigger.payment.paymentIntentId }}' })
      .describe('Stripe ids to write on the deal (e.g. {{ steps.invoice.invoiceId }}); the board shows the invoice link and payment status. paymentIntentId also finds the deal again (built-in CRM)'),
    objectId: z
      .string()
      .default('{{ trigger.payment.objectId }}')
      .describe('Stripe object the deal came from (checkout session, invoice); HubSpot and Salesforce find the deal again by it'),
  }).superRefine((c, ctx) => {
    if (!c.stage && !c.dealId) ctx.addIssue({ code: 'custom', path: ['stage'], message: 'is required unless a deal id is given' });
    if (c.connection !== 'builtin' && !c.credential) {
      ctx.addIssue({ code: 'custom', path: ['credential'], message: `is required to reach ${providerLabel(c.connection)}` });
    }
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  run: async (ctx, config) => {
    const customerId = optionalText(config.customerId);
    const email = optionalText(config.email);
    const dealId = optionalText(config.dealId);
    if (!dealId && !customerId && !email) {
      throw new Error('Cannot find or create the deal: both the customer id and the e-mail are empty for this run');
    }
    const stripe = Object.fromEntries(Object.entries(config.stripe).map(([k, v]) => [k, optionalText(v)]));
    const deal = await ctx.effects.crm.updateDeal({
      connection: config.connection,
      credential: config.credential?.credential,
      customerId,
      email,
      name: optionalText(config.name),
      stage: config.stage,
      amount: minorUnits(config.amount, 'amount'),
      currency: optionalText(config.currency)?.toLowerCase() ?? null,
      product: optionalText(config.product),
      fields: textRecord(config.fields),
      objectId: optionalText(config.objectId),
      ...(dealId ? { dealId } : {}),
      ...(Object.keys(stripe).length ? { stripe } : {}),
    });
    return { port: 'out', output: deal };
  },
});
