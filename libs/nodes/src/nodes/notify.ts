import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { credentialTypesFor, providerChoice } from '../providers';
import { EFFECT, effectConfig, isEmail, isEmailOrTemplate } from './common';
import { optionalText, text } from './values';

/** The entries of a comma-separated list, commas inside `{{ }}` not counting. */
function entries(list: string): string[] {
  return list
    .replace(/\{\{[\s\S]*?\}\}/g, (t) => t.replace(/[,;]/g, ' '))
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Every rendered recipient is one e-mail address, and there are as many as the saved list has
 * entries: a `{{ }}` that renders to "a@x.com, b@y.com" (a customer's own e-mail field, say)
 * cannot add recipients.
 */
function checkRecipients(saved: string, rendered: string): void {
  const addresses = rendered.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '');
  const bad = addresses.filter((a) => !isEmail(a));
  if (bad.length) throw new Error(`"to" has what is not an e-mail address: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
  if (saved && addresses.length !== entries(saved).length) {
    throw new Error(`"to" rendered to ${addresses.length} addresses from ${entries(saved).length} entries: a template must give exactly one address`);
  }
}

export const notify = defineNode({
  type: 'notify',
  kind: 'notify',
  label: 'Notify',
  description:
    'Sends a Slack message (incoming webhook) or an e-mail. Delivery goes through the outbox with retries; output: { outboxId, channel, to }.',
  config: effectConfig({
    channel: providerChoice('messages').default('slack').describe('Slack (incoming webhook) or e-mail (SMTP)'),
    credential: credentialField(credentialTypesFor('messages'), 'Slack webhook or SMTP credential to send with').optional(),
    to: z
      .string()
      .default('')
      .describe('E-mail: comma-separated addresses. Slack: the channel name, for the record (the webhook decides the channel)'),
    subject: z.string().default('{{ flow.name }}: payment from {{ trigger.payment.name }}').describe('E-mail subject (ignored by Slack)'),
    text: z
      .string()
      .min(1, 'cannot be empty')
      .default(
        'Payment of {{ trigger.payment.amount / 100 }} {{ $uppercase(trigger.payment.currency) }} from {{ trigger.payment.name }} ({{ trigger.payment.email }}) cleared. Onboarding starts now.',
      )
      .describe('Message text; may use {{ }} templates'),
  }).superRefine((c, ctx) => {
    if (c.channel !== 'email') return;
    const recipients = c.to.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (recipients.length === 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'needs at least one e-mail address' });
    const bad = recipients.filter((r) => !isEmailOrTemplate(r));
    if (bad.length > 0) ctx.addIssue({ code: 'custom', path: ['to'], message: `has addresses that are not e-mails: ${bad.join(', ')}` });
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  outputSample: (config) => ({ outboxId: '7d1c2a9e-5b7f-4f2e-9a51-3c0f6b2d8e41', channel: config.channel, to: optionalText(config.to) }),
  run: async (ctx, config) => {
    const to = optionalText(config.to);
    if (config.channel === 'email' && !to) throw new Error('The e-mail has no recipient: "to" is empty for this run');
    if (config.channel === 'email' && to) checkRecipients((ctx.unrendered as { to?: string } | undefined)?.to ?? '', to);
    const { id } = await ctx.effects.outbox.enqueue({
      channel: config.channel,
      credential: config.credential?.credential,
      recipient: to ?? undefined,
      subject: config.channel === 'email' ? text(config.subject) : undefined,
      body: text(config.text),
      // The step's retry setting also bounds the delivery attempts of the message it queues.
      maxAttempts: config.retry?.attempts,
    });
    return { port: 'out', output: { outboxId: id, channel: config.channel, to } };
  },
});
