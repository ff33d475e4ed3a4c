import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { credentialTypesFor, providerChoice } from '../providers';
import { crmRecordKey, EFFECT, effectConfig } from './common';
import { optionalText, text } from './values';

export const crmCreateTicket = defineNode({
  type: 'crm.createTicket',
  kind: 'crm',
  label: 'Open ticket',
  description:
    'Opens a support ticket in HubSpot about the client (e.g. a failed payment), associated with their contact. Delivered through the outbox and upserted by a key made of the flow, the step and its idempotency key, so a retry never opens a second ticket; key the step by the failed attempt to get one ticket per attempt. Output: { queued, outboxId, key }.',
  config: effectConfig({
    connection: providerChoice('tickets').default('hubspot').describe('Which CRM gets the ticket'),
    credential: credentialField(credentialTypesFor('tickets'), 'HubSpot credential the ticket is written with'),
    subject: z.string().min(1, 'cannot be empty').default('Payment problem: {{ trigger.payment.name }}').describe('Ticket name; may use {{ }} templates'),
    content: z
      .string()
      .default('Stripe {{ trigger.event.type }} for {{ trigger.payment.amount / 100 }} {{ $uppercase(trigger.payment.currency) }} ({{ trigger.payment.objectId }}).')
      .describe('Ticket description; may use {{ }} templates'),
    priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).default('HIGH').describe('Ticket priority'),
    pipeline: z.string().min(1, 'cannot be empty').default('0').describe('HubSpot ticket pipeline id (0 is the default support pipeline)'),
    stage: z.string().min(1, 'cannot be empty').default('1').describe('Pipeline stage id of the ticket (1 is “New” in the default pipeline)'),
    customerId: z.string().default('{{ trigger.payment.customerId }}').describe('Stripe customer id of the contact the ticket is about'),
    email: z.string().default('{{ trigger.payment.email }}').describe('E-mail of that contact (its key when there is no customer id); both empty: no contact'),
    name: z.string().default('{{ trigger.payment.name }}').describe('That contact’s name'),
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  run: async (ctx, config) => {
    const subject = text(config.subject).trim();
    if (!subject) throw new Error('The ticket subject rendered empty');
    const ticket = await ctx.effects.crm.createTicket({
      connection: config.connection,
      credential: config.credential.credential,
      key: crmRecordKey(ctx),
      subject: subject.slice(0, 500),
      content: text(config.content),
      priority: config.priority,
      pipeline: text(config.pipeline).trim(),
      stage: text(config.stage).trim(),
      person: { customerId: optionalText(config.customerId), email: optionalText(config.email)?.toLowerCase() ?? null, name: optionalText(config.name) },
    });
    return { port: 'out', output: ticket };
  },
});
