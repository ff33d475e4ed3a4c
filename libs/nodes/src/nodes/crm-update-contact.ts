import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { credentialTypesFor, providerChoice, providerLabel } from '../providers';
import { EFFECT, effectConfig } from './common';
import { optionalText, textRecord } from './values';

export const crmUpdateContact = defineNode({
  type: 'crm.updateContact',
  kind: 'crm',
  label: 'Update contact',
  description:
    'Keeps a contact’s properties current (found by Stripe customer id, else e-mail; created if new): subscription status, last payment date, any custom field. In the built-in CRM at once; in HubSpot or Salesforce through the outbox, upserted by the same keys. Output: { contactId, properties }, or { queued, outboxId } for HubSpot and Salesforce.',
  config: effectConfig({
    connection: providerChoice('contacts').default('builtin').describe('Which CRM holds the contact'),
    credential: credentialField(credentialTypesFor('contacts'), 'HubSpot or Salesforce credential (not needed for the built-in CRM)').optional(),
    customerId: z.string().default('{{ trigger.payment.customerId }}').describe('Stripe customer id the contact is found by'),
    email: z.string().default('{{ trigger.payment.email }}').describe('Contact e-mail; the key when there is no customer id'),
    name: z.string().default('{{ trigger.payment.name }}').describe('Contact name'),
    properties: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a property name like last_payment_date'), z.string())
      .default({ last_payment_date: '{{ $now() }}' })
      .describe(
        'Properties to set (name → template), e.g. subscription_status: {{ trigger.event.data.object.status }}; an empty value removes one. HubSpot: internal property names; Salesforce: field API names such as Subscription_Status__c',
      ),
  }).superRefine((c, ctx) => {
    if (c.connection !== 'builtin' && !c.credential) ctx.addIssue({ code: 'custom', path: ['credential'], message: `is required to reach ${providerLabel(c.connection)}` });
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  run: async (ctx, config) => {
    const customerId = optionalText(config.customerId);
    const email = optionalText(config.email);
    if (!customerId && !email) throw new Error('Cannot find or create the contact: both the customer id and the e-mail are empty for this run');
    const result = await ctx.effects.crm.updateContact({
      connection: config.connection,
      credential: config.credential?.credential,
      customerId,
      email,
      name: optionalText(config.name),
      properties: textRecord(config.properties),
    });
    return { port: 'out', output: result };
  },
});
