import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { deadline, durationField, EFFECT, effectConfig, isEmail, isEmailOrTemplate } from './common';
import { optionalText, text } from './values';

export const crmCreateTask = defineNode({
  type: 'crm.createTask',
  kind: 'crm',
  label: 'Create task',
  description:
    'Gives a person on the team a task in the built-in CRM (their "My tasks", and the deal’s timeline), due after a while, and tells them by e-mail or Slack through the outbox. Output: { taskId, dealId, assignee, dueAt, outboxId }.',
  config: effectConfig({
    title: z.string().min(1, 'cannot be empty').default('Call {{ trigger.payment.name }} about their payment').describe('What to do; may use {{ }} templates'),
    assignee: z
      .string()
      .min(1, 'cannot be empty')
      .refine(isEmailOrTemplate, 'must be an e-mail address (or a {{ }} template giving one)')
      .describe('E-mail of the person who should do it, e.g. sales@example.com'),
    dueIn: durationField('P1D', 'When it is due, from now (ISO-8601 duration, e.g. P1D, PT4H)'),
    dealId: z.string().default('').describe('Built-in CRM deal it belongs to, e.g. {{ trigger.deal.id }} or {{ steps.won.dealId }}'),
    notify: z.enum(['email', 'slack', 'none']).default('email').describe('How the assignee hears about it (held in the outbox until a credential is set)'),
    credential: credentialField(['smtp', 'slack.webhook'], 'SMTP or Slack credential for the notice').optional(),
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  run: async (ctx, config) => {
    const assignee = text(config.assignee).trim().toLowerCase();
    if (!isEmail(assignee)) throw new Error(`The assignee must be an e-mail address, got ${JSON.stringify(assignee)}`);
    const title = text(config.title).trim();
    if (!title) throw new Error('The task title rendered empty');
    const dueAt = deadline(ctx.now(), config.dueIn);
    const task = await ctx.effects.crm.createTask({ title: title.slice(0, 500), assignee, dueAt, dealId: optionalText(config.dealId) });
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
    return { port: 'out', output: { ...task, outboxId } };
  },
});
