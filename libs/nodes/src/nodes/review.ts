import { z } from 'zod';
import { defineNode } from '../define';
import { deadline, durationField, EFFECT, effectConfig, isEmailOrTemplate } from './common';
import { eventInScope, paymentInScope, text } from './values';

export const review = defineNode({
  type: 'review',
  kind: 'human',
  label: 'Payment review',
  description:
    'Holds the run in the payment-review stage, alerts the owner and waits for a decision in the review inbox. Goes to "approved", "rejected", or "timeout" when nobody decides in time.',
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
  }),
  ports: ['approved', 'rejected', 'timeout'] as const,
  effect: EFFECT,
  run: async (ctx, config) => {
    const resume = ctx.resume;
    if (!resume) {
      const until = deadline(ctx.now(), config.timeout);
      const event = eventInScope(ctx.scope.trigger);
      const facts: Record<string, unknown> = { ...(paymentInScope(ctx.scope.trigger) ?? {}) };
      if (event.id) Object.assign(facts, { eventId: event.id, eventType: event.type });
      const owner = text(config.owner).trim();
      const { id } = await ctx.effects.review.create({ reason: text(config.reason), owner, deadline: until, facts });
      return { wait: { reviewId: id, until, output: { reviewId: id, owner, deadline: until } } };
    }
    if (resume.reason === 'review') {
      const output = { decision: resume.decision, note: resume.note, by: resume.by, reviewId: resume.reviewId };
      return { port: resume.decision === 'approve' ? 'approved' : 'rejected', output };
    }
    if (resume.reason === 'timer') return { port: 'timeout', output: { timedOutAt: ctx.now().toISOString() } };
    throw new Error('A payment review resumes on a decision or its deadline, not on a Stripe event');
  },
});
