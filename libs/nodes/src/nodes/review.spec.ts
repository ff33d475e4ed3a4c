import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { review } from './review';

const config = { owner: 'finance@example.com' };

describe('review', () => {
  it('opens a review with the payment facts and waits for it until the deadline', async () => {
    const event = sampleEvent('checkout_unpaid');
    const { result, effects } = await runNode(review, config, { event, now: '2026-01-05T09:00:00.000Z' });
    expect(effects.review).toEqual([
      {
        reason: 'Payment cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY is pending: check it before onboarding starts',
        owner: 'finance@example.com',
        deadline: '2026-01-08T09:00:00.000Z',
        facts: expect.objectContaining({ status: 'pending', amount: 250000, email: 'client@example.com', eventId: event.id, eventType: 'checkout.session.completed' }),
      },
    ]);
    expect(result).toEqual({
      wait: { reviewId: 'rev_1', until: '2026-01-08T09:00:00.000Z', output: { reviewId: 'rev_1', owner: 'finance@example.com', deadline: '2026-01-08T09:00:00.000Z', alertOutboxId: 'out_1' } },
    });
    // The owner's alert, by e-mail by default, held in the outbox until a credential is picked.
    expect(effects.outbox).toEqual([
      expect.objectContaining({ channel: 'email', credential: undefined, recipient: 'finance@example.com', subject: expect.stringMatching(/^Payment review needed: Payment cs_test_\w+ is pending/), body: expect.stringContaining('review rev_1') }),
    ]);
  });

  it('alerts the owner on the channel and with the credential picked on the step, or not at all', async () => {
    const slack = await runNode(review, { ...config, alert: 'slack', credential: { credential: 'cred_slack' } }, { event: sampleEvent('checkout_unpaid') });
    expect(slack.effects.outbox).toEqual([{ channel: 'slack', credential: 'cred_slack', recipient: 'finance@example.com', subject: undefined, body: expect.stringMatching(/^Payment review for finance@example.com: .* review rev_1/) }]);
    const email = await runNode(review, { ...config, credential: { credential: 'cred_smtp' } }, { event: sampleEvent('checkout_unpaid') });
    expect(email.effects.outbox[0]).toMatchObject({ channel: 'email', credential: 'cred_smtp' });
    const none = await runNode(review, { ...config, alert: 'none' }, { event: sampleEvent('checkout_unpaid') });
    expect(none.effects.outbox).toEqual([]);
    expect(none.result).toMatchObject({ wait: { output: { alertOutboxId: null } } });
  });

  it('opens a review with no facts when the trigger is not a payment', async () => {
    const { effects } = await runNode(review, { ...config, reason: 'Check {{ trigger.who }}' }, { trigger: { who: 'Acme' } });
    expect(effects.review[0]).toMatchObject({ reason: 'Check Acme', facts: {} });
  });

  it('goes to "approved" with the decision, note and reviewer', async () => {
    const resume = { reason: 'review', decision: 'approve', note: 'bank transfer seen', by: 'finance@example.com', reviewId: 'rev_1' } as const;
    const { result, effects } = await runNode(review, config, { resume });
    expect(result).toEqual({ port: 'approved', output: { decision: 'approve', note: 'bank transfer seen', by: 'finance@example.com', reviewId: 'rev_1' } });
    expect(effects.review).toEqual([]);
  });

  it('goes to "rejected" on a rejection', async () => {
    const resume = { reason: 'review', decision: 'reject', note: null, by: 'finance@example.com', reviewId: 'rev_1' } as const;
    expect((await runNode(review, config, { resume })).result).toMatchObject({ port: 'rejected', output: { decision: 'reject', note: null } });
  });

  it('also waits for the Stripe events that end it, and goes to "resolved" with the event when one comes first', async () => {
    const ends = { ...config, resolveOn: ['checkout.session.async_payment_succeeded'] };
    const { result } = await runNode(review, ends, { event: sampleEvent('checkout_unpaid') });
    expect(result).toMatchObject({ wait: { reviewId: 'rev_1', event: { types: ['checkout.session.async_payment_succeeded'], match: 'event.data.object.id = trigger.payment.objectId' } } });
    const plain = await runNode(review, config, { event: sampleEvent('checkout_unpaid') });
    expect(plain.result).not.toHaveProperty('wait.event');
    const event = { id: 'evt_cleared', type: 'checkout.session.async_payment_succeeded' };
    expect((await runNode(review, ends, { resume: { reason: 'event', event } })).result).toEqual({ port: 'resolved', output: { event } });
    expect(review.config.safeParse({ ...config, resolveOn: ['Payment Cleared'] }).success).toBe(false);
  });

  it('goes to "timeout" when nobody decides in time', async () => {
    const { result } = await runNode(review, config, { resume: { reason: 'timer' }, now: '2026-01-08T09:00:00.000Z' });
    expect(result).toEqual({ port: 'timeout', output: { timedOutAt: '2026-01-08T09:00:00.000Z' } });
  });

  it('accepts an owner template but not a plain non-address', () => {
    expect(review.config.safeParse({ owner: '{{ steps.deal.owner }}' }).success).toBe(true);
    expect(review.config.safeParse({ owner: 'finance team' }).success).toBe(false);
  });
});
