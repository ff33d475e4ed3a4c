import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { credentialTypesFor, providerChoice } from '../providers';
import { stripeEventTypesField } from '../stripe/event-types';
import { deadline, durationField, EFFECT, effectConfig, isEmailOrTemplate } from './common';
import { eventInScope, paymentInScope, text } from './values';

export const review = defineNode({
  type: 'review',
  kind: 'human',
  label: 'Payment review',
  description:
    'Holds the run in the payment-review stage, alerts the owner (by e-mail or Slack, through the outbox) and waits for a decision in the review inbox. Goes to "approved", "rejected", or "timeout" when nobody decides in time; with "Resolve on" Stripe events, to "resolved" when one of them arrives first and matches (the payment cleared or failed by itself): the review is then closed, and no one can decide it any more. Output while waiting: { reviewId, owner, deadline, alertOutboxId }.',
  config: effectConfig({
    reason: z
      .string()
      .min(1, 'cannot be empty')
      .default('Payment {{ trigger.payment.objectId }} is {{ trigger.payment.status }}: check it before onboarding starts')
      .describe('What the reviewer is asked to check; may use {{ }} templates'),
    owner: z
      .string()
      .min(1, 'is required')
      .refine(isEmailOrTemplate, 'must be an e-mail address')
      .describe('E-mail of the person who decides and is alerted'),
    timeout: durationField('P3D', 'Go to "timeout" when undecided after this ISO-8601 duration, e.g. P3D'),
    alert: providerChoice('messages', [['none', 'No alert']])
      .default('email')
      .describe('How the owner hears about it (held in the outbox until a credential is set)'),
    credential: credentialField(credentialTypesFor('messages'), 'SMTP or Slack credential for the alert').optional(),
    resolveOn: stripeEventTypesField({
      wildcard: false,
      defaults: [],
      optional: true,
      description: 'Stripe events that end the review without a decision (go to "resolved"), e.g. checkout.session.async_payment_succeeded; needs a Stripe trigger',
    }),
    resolveMatch: z
      .string()
      .default('event.data.object.id = trigger.payment.objectId')
      .describe('JSONata condition over { event, trigger, steps } such an event must meet, e.g. the same checkout session'),
  }),
  ports: ['approved', 'rejected', 'timeout', 'resolved'] as const,
  // The engine evaluates `resolveMatch` against each arriving event, so the node never renders it.
  expressionFields: ['resolveMatch'],
  // Needs a Stripe trigger when set (validate-flow): the events reach it only through its own flow's Stripe webhook.
  stripeEvents: (config) => config.resolveOn,
  effect: EFFECT,
  run: async (ctx, config) => {
    const resume = ctx.resume;
    if (!resume) {
      const until = deadline(ctx.now(), config.timeout);
      const event = eventInScope(ctx.scope.trigger);
      const facts: Record<string, unknown> = { ...(paymentInScope(ctx.scope.trigger) ?? {}) };
      if (event.id) Object.assign(facts, { eventId: event.id, eventType: event.type });
      const owner = text(config.owner).trim();
      const reason = text(config.reason);
      const { id } = await ctx.effects.review.create({ reason, owner, deadline: until, facts });
      let alertOutboxId: string | null = null;
      if (config.alert !== 'none') {
        const listed = Object.entries(facts).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        const email = config.alert === 'email';
        ({ id: alertOutboxId } = await ctx.effects.outbox.enqueue({
          channel: config.alert,
          credential: config.credential?.credential,
          recipient: owner,
          subject: email ? `Payment review needed: ${reason}` : undefined,
          body: email
            ? `A payment is held for your review.\n\nReason: ${reason}\n${listed.join('\n')}\n\nDecide in the Handoff review inbox (review ${id}).`
            : `Payment review for ${owner}: ${reason} (decide in the Handoff review inbox, review ${id})`,
        }));
      }
      const ends = config.resolveOn.length ? { event: { types: config.resolveOn, match: config.resolveMatch.trim() || undefined } } : {};
      return { wait: { reviewId: id, until, ...ends, output: { reviewId: id, owner, deadline: until, alertOutboxId } } };
    }
    if (resume.reason === 'review') {
      const output = { decision: resume.decision, note: resume.note, by: resume.by, reviewId: resume.reviewId };
      return { port: resume.decision === 'approve' ? 'approved' : 'rejected', output };
    }
    if (resume.reason === 'timer') return { port: 'timeout', output: { timedOutAt: ctx.now().toISOString() } };
    return { port: 'resolved', output: { event: resume.event } };
  },
});
