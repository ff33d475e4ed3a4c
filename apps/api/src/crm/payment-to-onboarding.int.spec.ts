import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent, templateDocument, type StripeEventLike } from '@handoff/nodes';
import { eventually, FakeHttp } from '../../test/fake-http';
import { flowHelpers, RunView } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

const SIGNING_SECRET = 'whsec_paymentToOnboardingTemplateSecret';

interface DealView {
  id: string;
  stage: string;
  amount: number | null;
  currency: string | null;
  product: string | null;
  contact: { email: string | null; stripeCustomerId: string | null };
  intake: { id: string; status: string } | null;
  history: Array<{ from: string | null; to: string; byType: string; by: string }>;
}
interface OutboxView {
  id: string;
  channel: string;
  nodeId: string;
  status: string;
  recipient: string | null;
}
type Ack = { received: true; duplicate: boolean; runId?: string };

describe('template: payment to onboarding, driven by signed Stripe webhooks', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let flowId: string;
  const slack = new FakeHttp();

  beforeAll(async () => {
    await slack.start();
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    const credential = async (type: string, secret: unknown) => (await api.post<{ id: string }>('/api/credentials', { type, name: type, secret })).body.id;
    const whsec = await credential('stripe.signingSecret', SIGNING_SECRET);
    const hook = await credential('slack.webhook', `${slack.url}/slack`);

    // As a user would: import the template, pick the signing secret and the Slack webhook, publish.
    const templates = await api.get<{ items: Array<{ id: string }> }>('/api/templates');
    expect(templates.body.items.map((t) => t.id)).toContain('payment-to-onboarding');
    const doc = templateDocument('payment-to-onboarding')!;
    for (const n of doc.nodes) {
      if (n.type === 'stripe.trigger') n.config.signingSecret = { credential: whsec };
      if (n.id === 'tellSales' || n.id === 'tellDelivery') n.config.credential = { credential: hook };
    }
    flowId = await h.createFlow(doc);
    await h.publish(flowId);
  });
  afterAll(async () => {
    await app?.close();
    await slack.stop();
  });

  async function send(event: StripeEventLike): Promise<Ack> {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET });
    const res = await api.request<Ack>('POST', `/hooks/stripe/${flowId}`, payload, { 'content-type': 'application/json', 'stripe-signature': signature });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  async function dealOf(customerId: string): Promise<DealView> {
    const list = await api.get<{ items: Array<{ id: string }> }>(`/api/crm/deals?q=${customerId}`);
    expect(list.body.items).toHaveLength(1);
    return (await api.get<DealView>(`/api/crm/deals/${list.body.items[0].id}`)).body;
  }
  const outbox = async () => (await api.get<{ items: OutboxView[] }>('/api/outbox')).body.items;
  const intakes = async () => (await api.get<{ items: Array<{ id: string; email: string; dealId: string }> }>('/api/intakes')).body.items;
  const runsOfFlow = async () => (await api.get<{ items: Array<{ id: string }> }>(`/api/runs?flowId=${flowId}`)).body.items;
  const statusOf = (run: RunView) => Object.fromEntries(run.steps.map((s) => [s.nodeId, `${s.status}${s.port ? `:${s.port}` : ''}`]));

  const paid = sampleEvent('checkout_paid');
  const session = paid.data!.object!.id as string;
  const customer = paid.data!.object!.customer as string;
  let firstRun: RunView;

  it('moves the deal to paid/won with amount and product, tells sales and delivery, and starts one intake', async () => {
    const ack = await send(paid);
    expect(ack.duplicate).toBe(false);
    firstRun = await h.untilStatus(ack.runId!, ['succeeded', 'failed', 'waiting']);
    expect(firstRun.status).toBe('succeeded');
    expect(statusOf(firstRun)).toEqual({
      paid: 'succeeded:out',
      cleared: 'succeeded:true',
      won: 'succeeded:out',
      tellSales: 'succeeded:out',
      tellDelivery: 'succeeded:out',
      intake: 'succeeded:out',
    });
    expect(h.step(firstRun, 'won')!.idempotencyKey).toBe(`${session}:won`);

    const deal = await dealOf(customer);
    expect(deal).toMatchObject({ stage: 'paid_won', amount: 250000, currency: 'usd', product: 'Onboarding package', contact: { email: 'client@example.com', stripeCustomerId: customer } });
    expect(deal.history).toEqual([expect.objectContaining({ from: null, to: 'paid_won', byType: 'run', by: firstRun.id })]);

    const messages = await eventually(async () => {
      const all = await outbox();
      return all.filter((m) => m.channel === 'slack').every((m) => m.status === 'sent') ? all : undefined;
    }, 20_000, 'the Slack notifications to be sent');
    expect(messages.filter((m) => m.channel === 'slack').map((m) => m.nodeId).sort()).toEqual(['tellDelivery', 'tellSales']);
    expect(messages.filter((m) => m.channel === 'email')).toEqual([expect.objectContaining({ nodeId: 'intake', recipient: 'client@example.com', status: 'held' })]);
    expect(slack.to('/slack')).toHaveLength(2);

    const started = await intakes();
    expect(started).toEqual([expect.objectContaining({ email: 'client@example.com', dealId: deal.id })]);
    expect(deal.intake).toEqual({ id: started[0].id, status: 'sent' });
  });

  it('answers a repeat delivery of the same event as a duplicate and starts no run', async () => {
    const ack = await send(paid);
    expect(ack).toEqual({ received: true, duplicate: true });
    expect(await runsOfFlow()).toHaveLength(1);
  });

  it('records async_payment_succeeded for the same session as skipped steps and changes nothing', async () => {
    const before = { outbox: (await outbox()).length, intakes: (await intakes()).length, deal: await dealOf(customer) };
    const ack = await send(sampleEvent('async_payment_succeeded', { data: { object: { id: session } } }));
    expect(ack.duplicate).toBe(false);
    const run = await h.untilStatus(ack.runId!, ['succeeded', 'failed', 'waiting']);
    expect(run.status).toBe('succeeded');
    expect(statusOf(run)).toEqual({
      paid: 'succeeded:out',
      cleared: 'succeeded:true',
      won: 'skipped:out',
      tellSales: 'skipped:out',
      tellDelivery: 'skipped:out',
      intake: 'skipped:out',
    });
    for (const id of ['won', 'tellSales', 'tellDelivery', 'intake']) expect(h.step(run, id)!.skippedOfRun).toBe(firstRun.id);

    const after = await dealOf(customer);
    expect(after.history).toEqual(before.deal.history);
    expect(after.stage).toBe('paid_won');
    expect((await outbox()).length).toBe(before.outbox);
    expect((await intakes()).length).toBe(before.intakes);
    expect(slack.to('/slack')).toHaveLength(2);
  });

  it('holds a pending checkout in review with the deal at payment_review; approving it continues on the paid path', async () => {
    const pending = sampleEvent('checkout_unpaid', {
      data: { object: { id: 'cs_test_pending_1', payment_intent: 'pi_test_pending_1', customer: 'cus_Pending1', customer_details: { email: 'pending@example.com', name: 'Pat Pending' } } },
    });
    const ack = await send(pending);
    const waiting = await h.untilStatus(ack.runId!, ['waiting', 'succeeded', 'failed']);
    expect(waiting.status).toBe('waiting');
    expect(statusOf(waiting)).toMatchObject({ cleared: 'succeeded:false', reviewDeal: 'succeeded:out', hold: 'waiting' });
    expect((await dealOf('cus_Pending1')).stage).toBe('payment_review');

    const reviews = await api.get<{ items: Array<{ id: string; runId: string; owner: string; reason: string; flowName: string | null }> }>('/api/reviews?status=pending');
    const review = reviews.body.items.find((r) => r.runId === ack.runId)!;
    expect(review).toMatchObject({ owner: 'finance@example.com', reason: expect.stringContaining('cs_test_pending_1'), flowName: templateDocument('payment-to-onboarding')!.name });

    expect((await api.post(`/api/reviews/${review.id}/decision`, { decision: 'approve', note: 'Bank transfer confirmed' })).status).toBe(200);
    const done = await h.untilStatus(ack.runId!, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(statusOf(done)).toMatchObject({ hold: 'succeeded:approved', won: 'succeeded:out', intake: 'succeeded:out' });
    const deal = await dealOf('cus_Pending1');
    expect(deal.stage).toBe('paid_won');
    expect(deal.history.map((x) => x.to)).toEqual(['payment_review', 'paid_won']);
    expect(deal.intake).not.toBeNull();
  });

  it('closes the review when the pending payment clears by itself: that event’s run onboards, once, and nobody can decide the review any more', async () => {
    const object = { id: 'cs_test_pending_2', payment_intent: 'pi_test_pending_2', customer: 'cus_Pending2', customer_details: { email: 'later@example.com', name: 'Lee Later' } };
    const ack = await send(sampleEvent('checkout_unpaid', { id: 'evt_pending_2', data: { object } }));
    expect((await h.untilStatus(ack.runId!, ['waiting', 'succeeded', 'failed'])).status).toBe('waiting');
    const pending = await api.get<{ items: Array<{ id: string; runId: string }> }>('/api/reviews?status=pending');
    const review = pending.body.items.find((r) => r.runId === ack.runId)!;
    expect(review).toBeDefined();

    const cleared = await send(sampleEvent('async_payment_succeeded', { id: 'evt_cleared_2', data: { object } }));
    const onboarding = await h.untilStatus(cleared.runId!, ['succeeded', 'failed', 'waiting']);
    expect(statusOf(onboarding)).toMatchObject({ cleared: 'succeeded:true', won: 'succeeded:out', intake: 'succeeded:out' });
    const held = await h.untilStatus(ack.runId!, ['succeeded', 'failed']);
    expect(held.status).toBe('succeeded');
    expect(statusOf(held)).toMatchObject({ hold: 'succeeded:resolved' });
    expect(h.step(held, 'declined')).toBeUndefined();

    const after = await api.get<{ items: Array<{ id: string; status: string }> }>(`/api/reviews?status=expired`);
    expect(after.body.items.find((r) => r.id === review.id)).toBeDefined();
    expect((await api.post(`/api/reviews/${review.id}/decision`, { decision: 'reject' })).status).toBe(409);
    const deal = await dealOf('cus_Pending2');
    expect(deal.stage).toBe('paid_won');
    expect((await intakes()).filter((i) => i.email === 'later@example.com')).toHaveLength(1);
  });
});
