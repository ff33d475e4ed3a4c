import { Client } from 'pg';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateDocument, type FlowDocument } from '@handoff/nodes';
import { eventually } from '../../test/fake-http';
import { FakeStripe } from '../../test/fake-stripe';
import { flowHelpers, RunView } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { dealSnapshot } from '../crm/crm.store';
import { startCrmRuns } from '../triggers/crm.trigger';

const SIGNING_SECRET = 'whsec_test_actions_0123456789';

interface Deal {
  id: string;
  amount: number;
  stage: string;
  stripe: { customerId: string | null; invoiceId: string | null; invoiceUrl: string | null; paymentStatus: string | null };
}

/**
 * Stripe actions and the deal → invoice templates, with the real `stripe` SDK against a local
 * fake that keeps Stripe's Idempotency-Key rules and can lose an answer after doing the work.
 */
describe('Stripe actions: deal → invoice, amendments, payments, endpoint and reconciliation', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;
  let h: ReturnType<typeof flowHelpers>;
  const stripe = new FakeStripe();
  const flows: Record<string, string> = {};
  let apiKey: string;
  let signing: string;

  const liveInvoicesOf = (dealId: string) => [...stripe.invoices.values()].filter((i) => i.metadata.handoff_deal_id === dealId && (i.status === 'open' || i.status === 'draft'));
  const invoicesOf = (dealId: string) => [...stripe.invoices.values()].filter((i) => i.metadata.handoff_deal_id === dealId);
  const runsOf = async (flowId: string) => (await db.query<{ id: string; status: string }>(`SELECT id, status FROM runs WHERE flow_id = $1 ORDER BY seq`, [flowId])).rows;
  const lastRun = async (flowId: string, count: number): Promise<RunView> => {
    const runs = await eventually(async () => {
      const r = await runsOf(flowId);
      return r.length >= count ? r : undefined;
    }, 10_000, `${count} run(s) of ${flowId}`);
    return h.untilStatus(runs[count - 1].id, ['succeeded', 'failed']);
  };
  const allFinished = (flowId: string) =>
    eventually(async () => ((await runsOf(flowId)).every((r) => ['succeeded', 'failed'].includes(r.status)) ? true : undefined), 20_000, `runs of ${flowId} to finish`);
  const billed = (invoice: { lines: { data: Array<{ amount: number; description: string | null }> } }) => invoice.lines.data.map((l) => ({ amount: l.amount, description: l.description }));
  const getDeal = async (id: string) => (await api.get<Deal>(`/api/crm/deals/${id}`)).body;
  const newDeal = async (email: string, over: Record<string, unknown> = {}) => {
    const res = await api.post<Deal>('/api/crm/deals', { title: 'Website', contact: { email, name: 'Ada' }, stage: 'proposal', amount: 120000, currency: 'usd', product: 'Website build', ...over });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const withCredentials = (doc: FlowDocument) => {
    for (const n of doc.nodes) {
      if (n.type === 'stripe.trigger') n.config = { ...n.config, signingSecret: { credential: signing } };
      else if (n.type.startsWith('stripe.')) n.config = { ...n.config, credential: { credential: apiKey } };
    }
    return doc;
  };
  const publishTemplate = async (id: string, edit: (doc: FlowDocument) => void = () => undefined) => {
    const doc = withCredentials(templateDocument(id)!);
    edit(doc);
    const flowId = await h.createFlow(doc);
    await h.publish(flowId);
    return flowId;
  };
  const deliver = async (flowId: string, event: object) => {
    const payload = JSON.stringify(event);
    const res = await fetch(`${app.url}/hooks/stripe/${flowId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET }) },
      body: payload,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { runId?: string; duplicate?: boolean };
  };

  beforeAll(async () => {
    await stripe.start();
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    apiKey = (await api.post<{ id: string }>('/api/credentials', { type: 'stripe.apiKey', name: 'Stripe (fake)', secret: { secretKey: 'sk_test_handoff', apiBase: stripe.url } })).body.id;
    signing = (await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: SIGNING_SECRET })).body.id;
    flows.create = await publishTemplate('deal-to-invoice');
    flows.amend = await publishTemplate('deal-amended-invoice');
    flows.payments = await publishTemplate('invoice-payment-status');
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await stripe.stop();
  });

  it('a new deal gets exactly one customer and one finalized, sent invoice, and the deal shows its id and link', async () => {
    const deal = await newDeal('one@example.com');
    const run = await lastRun(flows.create, 1);
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    const customers = [...stripe.customers.values()].filter((c) => c.email === 'one@example.com');
    expect(customers).toHaveLength(1);
    const [invoice] = invoicesOf(deal.id);
    expect(invoicesOf(deal.id)).toHaveLength(1);
    expect(invoice).toMatchObject({ status: 'open', customer: customers[0].id, amount_due: 120000, currency: 'usd', collection_method: 'send_invoice' });
    expect(stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${invoice.id}/send`)).toHaveLength(1);
    const after = await getDeal(deal.id);
    expect(after.stripe).toEqual({ customerId: customers[0].id, invoiceId: invoice.id, invoiceUrl: invoice.hosted_invoice_url, paymentStatus: 'open' });
    // Every Stripe write carried an Idempotency-Key.
    expect(stripe.requests.filter((r) => r.method === 'POST' && !r.idempotencyKey)).toEqual([]);
  });

  it('loses the first invoice-create answer and still makes one invoice; a replayed run and a re-delivered change add nothing', async () => {
    stripe.dropResponse('POST', /^\/v1\/invoices$/);
    // The run fails once at finalize (a Stripe 4xx is permanent), so it can be replayed from the failed step.
    stripe.failNext('POST', /\/finalize$/, 400);
    const deal = await newDeal('lost@example.com');
    const failed = await lastRun(flows.create, 2);
    expect(failed.status).toBe('failed');
    expect(h.step(failed, 'invoice')?.error).toMatch(/^Stripe invoice: /);
    expect(stripe.requests.filter((r) => r.path === '/v1/invoices' && r.method === 'POST' && r.dropped)).toHaveLength(1);
    expect(invoicesOf(deal.id)).toHaveLength(1);

    expect((await api.post(`/api/runs/${failed.id}/retry`, {})).status).toBeLessThan(300);
    const replayed = await h.untilStatus(failed.id, ['succeeded', 'failed']);
    expect(replayed.status, JSON.stringify(replayed.steps)).toBe('succeeded');
    expect(invoicesOf(deal.id)).toHaveLength(1);
    expect(invoicesOf(deal.id)[0].status).toBe('open');

    // The same CRM change delivered again (same deal, same change seq) is a counted duplicate: no run.
    const ds = app.handoff.app.get(DataSource);
    const [{ seq }] = await db.query(`SELECT seq FROM crm_deal_changes WHERE deal_id = $1 AND kind = 'deal.created'`, [deal.id]).then((r) => r.rows);
    await ds.transaction(async (m) => {
      const snapshot = (await dealSnapshot(m, deal.id))!;
      await startCrmRuns(m, { seq: String(seq), kind: 'deal.created', changed: [], deal: snapshot, previous: null, by: { type: 'user', id: 'again@example.com' } });
    });
    expect(await runsOf(flows.create)).toHaveLength(2);
    // A test run of the same flow for the same deal (other keys) finds the live invoice instead of making another.
    const testRunId = await h.testRun(flows.create, { deal: (await api.get(`/api/crm/deals/${deal.id}`)).body, previous: null, change: { kind: 'deal.created' } });
    const test = await h.untilStatus(testRunId, ['succeeded', 'failed']);
    expect(h.step(test, 'invoice')?.output).toMatchObject({ action: 'found', invoiceId: invoicesOf(deal.id)[0].id });
    expect(invoicesOf(deal.id)).toHaveLength(1);
  });

  it('an amended deal replaces its open invoice, and never has two live invoices', async () => {
    const deal = await newDeal('amend@example.com');
    await lastRun(flows.create, (await runsOf(flows.create)).length);
    const first = (await getDeal(deal.id)).stripe.invoiceId!;
    expect((await api.patch(`/api/crm/deals/${deal.id}`, { amount: 150000 })).status).toBe(200);
    const amended = await lastRun(flows.amend, 1);
    expect(amended.status, JSON.stringify(amended.steps)).toBe('succeeded');
    expect(h.step(amended, 'invoice')?.output).toMatchObject({ action: 'replaced', replaced: first, amountDue: 150000 });
    expect(stripe.invoices.get(first)?.status).toBe('void');
    const live = liveInvoicesOf(deal.id);
    expect(live).toHaveLength(1);
    expect(live[0].amount_due).toBe(150000);
    expect((await getDeal(deal.id)).stripe.invoiceId).toBe(live[0].id);

    // Two amendments right after each other: still one live invoice, and it bills the deal as it is now.
    await api.patch(`/api/crm/deals/${deal.id}`, { amount: 160000 });
    await api.patch(`/api/crm/deals/${deal.id}`, { amount: 180000 });
    await api.patch(`/api/crm/deals/${deal.id}`, { product: 'Website build + care' });
    await lastRun(flows.amend, 4);
    await allFinished(flows.amend);
    expect((await runsOf(flows.amend)).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(liveInvoicesOf(deal.id)).toHaveLength(1);
    expect(billed(liveInvoicesOf(deal.id)[0])).toEqual([{ amount: 180000, description: 'Website build + care' }]);
    expect((await getDeal(deal.id)).stripe.invoiceId).toBe(liveInvoicesOf(deal.id)[0].id);
  });

  it('a deal amended right after it was created is invoiced for the amended amount, once', async () => {
    const deal = await newDeal('quick@example.com');
    expect((await api.patch(`/api/crm/deals/${deal.id}`, { amount: 90000 })).status).toBe(200);
    await allFinished(flows.create);
    await eventually(async () => ((await runsOf(flows.amend)).length >= 5 ? true : undefined), 10_000, 'the amendment run');
    await allFinished(flows.amend);
    const live = liveInvoicesOf(deal.id);
    expect(live).toHaveLength(1);
    expect(billed(live[0])).toEqual([{ amount: 90000, description: 'Website build' }]);
    expect((await getDeal(deal.id)).stripe.invoiceId).toBe(live[0].id);
  });

  it('an amendment replaces a draft left by a failed finalize, even when the answers to its new lines are lost', async () => {
    stripe.failNext('POST', /\/finalize$/, 400);
    const deal = await newDeal('draft@example.com');
    await allFinished(flows.create);
    const [draft] = invoicesOf(deal.id);
    expect(draft.status).toBe('draft');
    stripe.dropResponse('POST', /^\/v1\/invoiceitems$/, 3);
    expect((await api.patch(`/api/crm/deals/${deal.id}`, { amount: 70000 })).status).toBe(200);
    await eventually(async () => ((await runsOf(flows.amend)).length >= 6 ? true : undefined), 10_000, 'the amendment run');
    await allFinished(flows.amend);
    expect(stripe.invoices.has(draft.id)).toBe(false);
    const live = liveInvoicesOf(deal.id);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ status: 'open', amount_due: 70000 });
    expect(billed(live[0])).toEqual([{ amount: 70000, description: 'Website build' }]);
  });

  it('a signed invoice.paid marks the deal paid and moves it to paid/won; invoice.payment_failed marks it failed', async () => {
    const paidDeal = await newDeal('pays@example.com');
    const failDeal = await newDeal('fails@example.com');
    await eventually(async () => ((await getDeal(paidDeal.id)).stripe.invoiceId && (await getDeal(failDeal.id)).stripe.invoiceId ? true : undefined), 15_000, 'both invoices');
    const paid = stripe.payInvoice((await getDeal(paidDeal.id)).stripe.invoiceId!);
    const failed = stripe.failInvoicePayment((await getDeal(failDeal.id)).stripe.invoiceId!);
    const a = await deliver(flows.payments, paid);
    const b = await deliver(flows.payments, failed);
    expect((await h.untilStatus(a.runId!, ['succeeded', 'failed'])).status).toBe('succeeded');
    expect((await h.untilStatus(b.runId!, ['succeeded', 'failed'])).status).toBe('succeeded');
    expect(await getDeal(paidDeal.id)).toMatchObject({ stage: 'paid_won', stripe: { paymentStatus: 'paid' } });
    expect(await getDeal(failDeal.id)).toMatchObject({ stage: 'payment_review', stripe: { paymentStatus: 'failed' } });
  });

  it('an unpaid invoice gets the reminder of its record type when the wait (shortened here) runs out', async () => {
    const reminders = await publishTemplate('invoice-sent-paid-or-reminded', (doc) => {
      doc.nodes.find((n) => n.type === 'wait.event')!.config.timeout = 'PT1S';
    });
    const deal = await newDeal('charity@example.com', { recordType: 'nonprofit' });
    await eventually(async () => ((await getDeal(deal.id)).stripe.invoiceId ? true : undefined), 15_000, 'the invoice');
    const sent = [...stripe.events.values()].find((e) => e.type === 'invoice.sent' && (e.data.object as { id: string }).id === (invoicesOf(deal.id)[0]?.id ?? ''));
    expect(sent).toBeDefined();
    const { runId } = await deliver(reminders, sent!);
    const run = await h.untilStatus(runId!, ['succeeded', 'failed'], 20_000);
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    expect(h.step(run, 'paidOrLate')?.port).toBe('timeout');
    expect(h.step(run, 'recordType')?.port).toBe('true');
    expect(h.step(run, 'remindNonprofit')?.status).toBe('succeeded');
    expect(h.step(run, 'remindProfit')).toBeUndefined();
  });

  it('sends no reminder for an invoice that was voided (an amended deal’s): the wait ends on invoice.voided', async () => {
    const reminders = await publishTemplate('invoice-sent-paid-or-reminded', (doc) => {
      doc.nodes.find((n) => n.type === 'wait.event')!.config.timeout = 'PT20S';
    });
    const deal = await newDeal('voided@example.com');
    await eventually(async () => ((await getDeal(deal.id)).stripe.invoiceId ? true : undefined), 15_000, 'the invoice');
    const first = (await getDeal(deal.id)).stripe.invoiceId!;
    const eventOf = (type: string, invoiceId: string) => [...stripe.events.values()].find((e) => e.type === type && (e.data.object as { id: string }).id === invoiceId);
    const { runId } = await deliver(reminders, eventOf('invoice.sent', first)!);
    await h.untilStatus(runId!, ['waiting']);
    expect((await api.patch(`/api/crm/deals/${deal.id}`, { amount: 99000 })).status).toBe(200);
    await eventually(async () => (stripe.invoices.get(first)?.status === 'void' ? true : undefined), 15_000, 'the first invoice voided');
    await deliver(reminders, eventOf('invoice.voided', first)!);
    const run = await h.untilStatus(runId!, ['succeeded', 'failed'], 15_000);
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    expect(h.step(run, 'paidOrLate')?.port).toBe('event');
    expect(h.step(run, 'paid')?.port).toBe('false');
    expect(run.steps.map((s) => s.nodeId).filter((id) => ['won', 'remindNonprofit', 'remindProfit'].includes(id))).toEqual([]);
    expect((await getDeal(deal.id)).stage).not.toBe('paid_won');

    // Its replacement, paid: the deal is won.
    const second = await eventually(async () => {
      const id = (await getDeal(deal.id)).stripe.invoiceId;
      return id && id !== first ? id : undefined;
    }, 15_000, 'the replacement on the deal');
    const { runId: secondRun } = await deliver(reminders, eventOf('invoice.sent', second)!);
    await h.untilStatus(secondRun!, ['waiting']);
    await deliver(reminders, stripe.payInvoice(second));
    const paid = await h.untilStatus(secondRun!, ['succeeded', 'failed'], 15_000);
    expect([h.step(paid, 'paid')?.port, h.step(paid, 'won')?.status]).toEqual(['true', 'succeeded']);
    expect((await getDeal(deal.id)).stage).toBe('paid_won');
  });

  it('sets up the flow’s Stripe endpoint once however often it is asked, and stores its signing secret on the trigger', async () => {
    const doc = withCredentials(templateDocument('invoice-payment-status')!);
    const trigger = doc.nodes.find((n) => n.type === 'stripe.trigger')!;
    trigger.config = { events: trigger.config.events, apiKey: { credential: apiKey } };
    const flowId = await h.createFlow(doc);
    const url = `https://handoff.example.com/hooks/stripe/${flowId}`;
    const first = await api.post<{ endpointId: string; created: boolean; signingSecret: { credential: string }; events: string[] }>(`/api/flows/${flowId}/stripe/endpoint`, { url });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ created: true, events: ['invoice.paid', 'invoice.payment_failed'] });
    const again = await api.post<{ endpointId: string; created: boolean }>(`/api/flows/${flowId}/stripe/endpoint`, { url });
    expect(again.body).toMatchObject({ endpointId: first.body.endpointId, created: false });
    expect([...stripe.webhookEndpoints.values()].filter((e) => e.url === url)).toHaveLength(1);
    const draft = (await api.get<{ draft: FlowDocument }>(`/api/flows/${flowId}`)).body.draft;
    expect(draft.nodes.find((n) => n.type === 'stripe.trigger')!.config.signingSecret).toEqual(first.body.signingSecret);
    // The secret it stored is the one Stripe signs with: a delivery signed with it is accepted once published.
    await h.publish(flowId);
    const secret = stripe.webhookEndpoints.get(first.body.endpointId)!.secret;
    const payload = JSON.stringify(stripe.addEvent('invoice.payment_failed', { id: 'in_unknown', object: 'invoice', metadata: {} }));
    const res = await fetch(`${app.url}/hooks/stripe/${flowId}`, { method: 'POST', headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) }, body: payload });
    expect(res.status).toBe(200);
    expect((await api.post(`/api/flows/${flowId}/stripe/endpoint`, { url: 'https://elsewhere.example.com/x' })).status).toBe(400);
  });

  it('reconciliation ingests an event that was never delivered, runs it once, and skips one that was', async () => {
    const doc = withCredentials(templateDocument('invoice-payment-status')!);
    const trigger = doc.nodes.find((n) => n.type === 'stripe.trigger')!;
    trigger.config = { ...trigger.config, apiKey: { credential: apiKey } };
    const flowId = await h.createFlow(doc);
    await h.publish(flowId);
    const deal = await newDeal('missed@example.com');
    await eventually(async () => ((await getDeal(deal.id)).stripe.invoiceId ? true : undefined), 15_000, 'the invoice');
    const invoiceId = (await getDeal(deal.id)).stripe.invoiceId!;
    const delivered = stripe.failInvoicePayment(invoiceId);
    await deliver(flowId, delivered);
    const missed = stripe.payInvoice(invoiceId); // the endpoint was down: never delivered

    const check = await api.post<{ checked: number; ingested: number; eventIds: string[] }>(`/api/flows/${flowId}/stripe/reconcile`, {});
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    // This flow is new: the account's earlier invoice events (of other tests' deals) were never delivered to it either.
    expect(check.body.eventIds).toContain(missed.id);
    expect(check.body.eventIds).not.toContain(delivered.id);
    expect(check.body.ingested).toBe(check.body.eventIds.length);
    const again = await api.post<{ ingested: number; checked: number }>(`/api/flows/${flowId}/stripe/reconcile`, {});
    expect(again.body).toMatchObject({ ingested: 0, checked: check.body.checked });
    const runs = (await db.query(`SELECT r.event_id, count(*)::int AS n FROM runs r WHERE r.flow_id = $1 GROUP BY 1`, [flowId])).rows;
    expect(runs.find((r) => r.event_id === delivered.id)?.n).toBe(1);
    expect(runs.find((r) => r.event_id === missed.id)?.n).toBe(1);
    expect(runs.every((r) => r.n === 1)).toBe(true);
    await eventually(async () => ((await getDeal(deal.id)).stage === 'paid_won' ? true : undefined), 15_000, 'the deal to be paid');
    const events = await api.get<{ items: Array<{ eventId: string; via: string; duplicateCount: number }> }>(`/api/events?flowId=${flowId}`);
    expect(events.body.items.find((e) => e.eventId === missed.id)).toMatchObject({ via: 'reconcile', duplicateCount: 0 });
    expect(events.body.items.find((e) => e.eventId === delivered.id)).toMatchObject({ via: 'hook', duplicateCount: 0 });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/handoff_stripe_reconciled_events_total\{outcome="ingested"\} [1-9]/);
  });

  it('fails a step at once with Stripe’s message on a 4xx, and retries a 5xx with the same keys', async () => {
    const doc = withCredentials({
      schema: 'handoff.flow/1',
      name: 'Refund',
      nodes: [
        { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
        { id: 'refund', type: 'stripe.refund', position: { x: 260, y: 0 }, config: { payment: '{{ trigger.pi }}', amount: '{{ trigger.amount }}' } },
      ],
      edges: [{ id: 'e', source: 'start', sourcePort: 'out', target: 'refund' }],
    });
    const flowId = await h.createFlow(doc);
    const pi = stripe.addPaymentIntent({ amount: 5000 });
    const tooMuch = await h.untilStatus(await h.testRun(flowId, { pi: pi.id, amount: 9000 }), ['succeeded', 'failed']);
    expect(tooMuch.status).toBe('failed');
    expect(h.step(tooMuch, 'refund')).toMatchObject({ attempt: 1, error: expect.stringMatching(/^Stripe refund: .*(greater|exceed)/i) });
    stripe.failNext('POST', /^\/v1\/refunds$/, 500, 3);
    const ok = await h.untilStatus(await h.testRun(flowId, { pi: pi.id, amount: 2000 }), ['succeeded', 'failed'], 30_000);
    expect(ok.status, JSON.stringify(ok.steps)).toBe('succeeded');
    expect(stripe.refunds.size).toBe(1);
    const keys = new Set(stripe.requests.filter((r) => r.path === '/v1/refunds').map((r) => r.idempotencyKey));
    expect(keys.size).toBe(2); // one for the refused refund, one (reused across every retry) for the good one
  });
});
