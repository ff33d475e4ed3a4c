import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent, templateDocument, type FlowDocument, type StripeEventLike } from '@handoff/nodes';
import { flowHelpers, RunView } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

interface OutboxView {
  nodeId: string;
  channel: string;
  status: string;
  recipient: string | null;
  subject: string | null;
  body: string;
}

/** Each template, imported, given a signing secret and tested with a sample event from the editor. */
describe('flow templates run on sample events', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let whsec: string;

  beforeAll(async () => {
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    whsec = (await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: 'whsec_templates' })).body.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  async function run(id: string, event: StripeEventLike, edit: (doc: FlowDocument) => void = () => undefined, statuses = ['succeeded', 'failed', 'waiting']) {
    const doc = templateDocument(id)!;
    doc.nodes.find((n) => n.type === 'stripe.trigger')!.config.signingSecret = { credential: whsec };
    edit(doc);
    const flowId = await h.createFlow(doc);
    const res = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { event });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const result = await h.untilStatus(res.body.runId, statuses);
    const outbox = (await api.get<{ items: OutboxView[] }>(`/api/outbox?runId=${result.id}`)).body.items;
    return { run: result, outbox };
  }
  const ports = (r: RunView) => Object.fromEntries(r.steps.map((s) => [s.nodeId, `${s.status}${s.port ? `:${s.port}` : ''}`]));

  it('refund: tells finance, moves a fully refunded deal to lost with the refund tag, and gives ops a task', async () => {
    const event = sampleEvent('refund', { data: { object: { id: 'ch_full_refund', customer: 'cus_Refund1' } } });
    const { run: r, outbox } = await run('refund', event);
    expect(r.status).toBe('succeeded');
    expect(ports(r)).toEqual({ refunded: 'succeeded:out', tellFinance: 'succeeded:out', full: 'succeeded:true', tagLost: 'succeeded:out', task: 'succeeded:out' });
    expect(h.step(r, 'tagLost')!.output).toMatchObject({ stage: 'lost', fields: { refund: 'full', refundedAmount: '250000', refundedCharge: 'ch_full_refund' } });
    expect(outbox.map((m) => [m.nodeId, m.recipient]).sort()).toEqual([
      ['task', 'ops@example.com'],
      ['tellFinance', 'finance@example.com'],
    ]);
    expect(outbox.find((m) => m.nodeId === 'tellFinance')!.subject).toBe('Refund: Jenny Rosen (2500 USD)');
  });

  it('refund: tags the deal its payment made (found by the PaymentIntent), though the charge has no product and another e-mail', async () => {
    const paid = sampleEvent('checkout_paid', {
      id: 'evt_paid_then_refunded',
      data: { object: { id: 'cs_paid_then_refunded', payment_intent: 'pi_paid_then_refunded', customer: null, customer_details: { email: 'buyer@example.com', name: 'Ada Buyer' }, metadata: { product: 'onboarding-pro' } } },
    });
    const { run: bought } = await run('payment-to-onboarding', paid);
    const won = h.step(bought, 'won')!.output as { dealId: string; stage: string; product: string };
    expect(won).toMatchObject({ stage: 'paid_won', product: 'onboarding-pro' });

    const refund = sampleEvent('refund', {
      id: 'evt_refund_of_paid',
      data: { object: { id: 'ch_refund_of_paid', payment_intent: 'pi_paid_then_refunded', customer: null, billing_details: { email: 'accounts@buyer.example', name: null }, metadata: {} } },
    });
    const { run: r, outbox } = await run('refund', refund);
    expect(r.status, JSON.stringify(r.steps)).toBe('succeeded');
    expect(h.step(r, 'tagLost')!.output).toMatchObject({ dealId: won.dealId, created: false, stage: 'lost', product: 'onboarding-pro', fields: { refund: 'full' } });
    // The task is on that deal, and its notice goes to ops.
    expect(h.step(r, 'task')!.output).toMatchObject({ dealId: won.dealId, assignee: 'ops@example.com' });
    expect(outbox.find((m) => m.nodeId === 'task')).toMatchObject({ recipient: 'ops@example.com', subject: expect.stringMatching(/^New task: Follow up on the refund of ch_refund_of_paid/) });
    const deals = await api.get<{ items: Array<{ id: string; product: string | null }> }>('/api/crm/deals?includeTest=true&q=buyer');
    expect(deals.body.items.map((d) => d.id)).toEqual([won.dealId]);
  });

  it('refund: a partial refund tags the deal without closing it', async () => {
    const event = sampleEvent('refund', { data: { object: { id: 'ch_partial', customer: 'cus_Refund2', amount_refunded: 5000, refunded: false } } });
    const { run: r } = await run('refund', event);
    expect(ports(r)).toMatchObject({ full: 'succeeded:false', tagPartial: 'succeeded:out', task: 'succeeded:out' });
    expect(h.step(r, 'tagPartial')!.output).toMatchObject({ fields: { refund: 'partial', refundedAmount: '5000' } });
  });

  it('failed invoice: sends the client a dunning notice and holds a high-priority review', async () => {
    const { run: r, outbox } = await run('failed-invoice', sampleEvent('invoice_payment_failed'));
    expect(r.status).toBe('waiting');
    expect(ports(r)).toMatchObject({ dunning: 'succeeded:out', urgent: 'waiting' });
    const dunning = outbox.find((m) => m.nodeId === 'dunning')!;
    expect(dunning).toMatchObject({ channel: 'email', recipient: 'client@example.com', status: 'held' });
    expect(dunning.subject).toMatch(/did not go through/);
    const reviews = await api.get<{ items: Array<{ runId: string; reason: string; owner: string }> }>('/api/reviews?status=pending&includeTest=true');
    expect(reviews.body.items.find((x) => x.runId === r.id)).toMatchObject({ owner: 'finance@example.com', reason: expect.stringMatching(/^HIGH PRIORITY: invoice/) });
  });

  it('unpaid invoice: waits for invoice.paid, and on timeout reminds the client in the wording of their record type', async () => {
    const finalized = (recordType: string) =>
      sampleEvent('invoice_payment_failed', { type: 'invoice.finalized', data: { object: { id: `in_${recordType}`, status: 'open', metadata: { record_type: recordType } } } });
    const { run: waiting } = await run('unpaid-invoice-reminder', finalized('profit'));
    expect(waiting.status).toBe('waiting');
    expect(ports(waiting)).toMatchObject({ paidOrLate: 'waiting' });

    const shortWait = (doc: FlowDocument) => {
      doc.nodes.find((n) => n.id === 'paidOrLate')!.config.timeout = 'PT1S';
    };
    const { run: r, outbox } = await run('unpaid-invoice-reminder', finalized('nonprofit'), shortWait, ['succeeded', 'failed']);
    expect(ports(r)).toMatchObject({ paidOrLate: 'succeeded:timeout', recordType: 'succeeded:true', remindNonprofit: 'succeeded:out' });
    expect(outbox).toEqual([expect.objectContaining({ nodeId: 'remindNonprofit', recipient: 'client@example.com', subject: expect.stringMatching(/friendly reminder/) })]);
  });
});
