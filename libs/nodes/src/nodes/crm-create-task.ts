import { z } from 'zod';
import { defineNode, type OutsideCrm } from '../define';
import { credentialField } from '../flow-document';
import { credentialTypesFor, providerChoice, providerLabel } from '../providers';
import { crmRecordKey, deadline, durationField, EFFECT, effectConfig, isEmail, isEmailOrTemplate } from './common';
import { optionalText, text } from './values';

export const crmCreateTask = defineNode({
  type: 'crm.createTask',
  kind: 'crm',
  label: 'Create task',
  description:
    'Gives a person on the team a task, due after a while, and tells them by e-mail or Slack through the outbox. In the built-in CRM (their "My tasks", and the deal’s timeline) at once; in HubSpot or Salesforce through the outbox, upserted by a key made of the flow, the step and its idempotency key, so a retry never makes a second task. Output: { taskId, dealId, assignee, dueAt, outboxId }, or { queued, key, crmOutboxId, ... } for HubSpot and Salesforce.',
  config: effectConfig({
    connection: providerChoice('tasks').default('builtin').describe('Which CRM holds the task'),
    crmCredential: credentialField(credentialTypesFor('tasks'), 'HubSpot or Salesforce credential the task is written with (not needed for the built-in CRM)').optional(),
    title: z.string().min(1, 'cannot be empty').default('Call {{ trigger.payment.name }} about their payment').describe('What to do; may use {{ }} templates'),
    assignee: z
      .string()
      .min(1, 'cannot be empty')
      .refine(isEmailOrTemplate, 'must be an e-mail address (or a {{ }} template giving one)')
      .describe('E-mail of the person who should do it, e.g. sales@example.com (in HubSpot and Salesforce: the user with that e-mail becomes the owner)'),
    dueIn: durationField('P1D', 'When it is due, from now (ISO-8601 duration, e.g. P1D, PT4H)'),
    dealId: z.string().default('').describe('Built-in CRM deal it belongs to, e.g. {{ trigger.deal.id }} or {{ steps.won.dealId }}'),
    customerId: z.string().default('{{ trigger.payment.customerId }}').describe('HubSpot and Salesforce: Stripe customer id of the contact the task is about'),
    email: z.string().default('{{ trigger.payment.email }}').describe('HubSpot and Salesforce: e-mail of that contact (its key when there is no customer id); both empty: no contact'),
    name: z.string().default('{{ trigger.payment.name }}').describe('HubSpot and Salesforce: that contact’s name, if it is new'),
    notify: providerChoice('messages', [['none', 'No notice']])
      .default('email')
      .describe('How the assignee hears about it (held in the outbox until a credential is set); HubSpot and Salesforce notify task owners themselves'),
    credential: credentialField(credentialTypesFor('messages'), 'SMTP or Slack credential for the notice').optional(),
  }).superRefine((c, ctx) => {
    if (c.connection !== 'builtin' && !c.crmCredential) ctx.addIssue({ code: 'custom', path: ['crmCredential'], message: `is required to reach ${providerLabel(c.connection)}` });
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  run: async (ctx, config) => {
    const assignee = text(config.assignee).trim().toLowerCase();
    if (!isEmail(assignee)) throw new Error(`The assignee must be an e-mail address, got ${JSON.stringify(assignee)}`);
    const title = text(config.title).trim();
    if (!title) throw new Error('The task title rendered empty');
    const dueAt = deadline(ctx.now(), config.dueIn);
    const connection = config.connection;
    const task = await ctx.effects.crm.createTask({
      title: title.slice(0, 500),
      assignee,
      dueAt,
      dealId: optionalText(config.dealId),
      ...(connection === 'builtin' ? {} : outsideCrm(connection, crmRecordKey(ctx), config, assignee, ctx.scope.flow.name)),
    });
    let outboxId: string | null = null;
    if (config.notify !== 'none') {
      const due = dueAt.slice(0, 16).replace('T', ' ');
      ({ id: outboxId } = await ctx.effects.outbox.enqueue({
        channel: config.notify,
        credential: config.credential?.credential,
        recipient: assignee,
        subject: config.notify === 'email' ? `New task: ${title}` : undefined,
        body: config.notify === 'email' ? `You have a new task in Handoff: ${title}\nDue: ${due} UTC\n\nFrom the flow "${ctx.scope.flow.name}".` : `New task for ${assignee}: ${title} (due ${due} UTC)`,
      }));
    }
    if ('queued' in task) {
      // Within this node `outboxId` is always the assignee's notice; the CRM write is `crmOutboxId`.
      const { outboxId: crmOutboxId, ...queued } = task;
      return { port: 'out', output: { ...queued, crmOutboxId, outboxId } };
    }
    return { port: 'out', output: { ...task, outboxId } };
  },
});

/** What a HubSpot or Salesforce task carries beyond the built-in one: its upsert key, body and contact. */
function outsideCrm(
  connection: OutsideCrm,
  key: string,
  config: { crmCredential?: { credential: string }; customerId: unknown; email: unknown; name: unknown },
  assignee: string,
  flowName: string,
) {
  return {
    connection,
    credential: config.crmCredential?.credential,
    key,
    body: `Assigned to ${assignee} by the Handoff flow "${flowName}".`,
    person: { customerId: optionalText(config.customerId), email: optionalText(config.email)?.toLowerCase() ?? null, name: optionalText(config.name) },
  };
}
