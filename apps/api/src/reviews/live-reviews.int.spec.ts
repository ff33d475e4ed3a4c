import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { openStream } from '../../test/sse';
import { signWebhook } from '../triggers/webhook-signature';

/** #16: the review inbox is live, and what test runs make (reviews, alerts, intakes) says so. */
describe('live reviews and test items', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('streams, on the one app-wide stream, a review as it is created and decided, and CRM changes; a test run’s review is tagged test', async () => {
    const stream = await openStream<{ topic: string; reviewId?: string; runId?: string; status?: string; kind?: string; dealId?: string }>(`${app.url}/api/stream`, api.cookie!);
    expect(stream.status).toBe(200);
    const seen = stream.seen;
    // The first subscriber opens the LISTEN connection; give it a moment.
    await new Promise((r) => setTimeout(r, 300));

    const flowId = await h.createFlow(flow('held', [node('start', 'manual.trigger'), node('check', 'review', { reason: 'Check it', owner: 'owner@example.com' }, 260)], [edge('start', 'check')]));
    const runId = await h.testRun(flowId);
    await h.untilStatus(runId, ['waiting']);
    const created = await eventually(async () => seen.find((e) => e.topic === 'reviews' && e.runId === runId && e.status === 'pending'), 10_000, 'the new review on the stream');

    type ReviewItem = { id: string; runId: string; test: boolean };
    const hidden = await api.get<{ items: ReviewItem[] }>('/api/reviews?status=pending');
    expect(hidden.body.items.some((r) => r.runId === runId)).toBe(false);
    const shown = await api.get<{ items: ReviewItem[] }>('/api/reviews?status=pending&includeTest=true');
    expect(shown.body.items.find((r) => r.runId === runId)).toMatchObject({ id: created.reviewId!, test: true });

    // The owner's alert the review queued is a test message too.
    const alert = await api.get<{ items: Array<{ runId: string; test: boolean }> }>(`/api/outbox?runId=${runId}`);
    expect(alert.body.items).toEqual([expect.objectContaining({ runId, test: true })]);

    expect((await api.post(`/api/reviews/${created.reviewId}/decision`, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => seen.some((e) => e.topic === 'reviews' && e.reviewId === created.reviewId && e.status === 'approved'), 10_000, 'the decision on the stream');
    const deal = await api.post<{ id: string }>('/api/crm/deals', { contact: { email: 'live-crm@example.com' }, stage: 'proposal', amount: 1000, currency: 'usd' });
    expect(deal.status).toBe(201);
    await eventually(async () => seen.some((e) => e.topic === 'crm' && e.kind === 'deal' && e.dealId === deal.body.id), 10_000, 'the deal change on the stream');
    await stream.stop();
  });

  it('marks the intakes a test run starts as test, and a real run’s as not', async () => {
    const secret = 'whk_live_intake_0123456789';
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'intake', secret });
    const flowId = await h.createFlow(
      flow(
        'intake',
        [
          node('order', 'webhook.trigger', { secret: { credential: cred.body.id } }),
          node('intake', 'intake.start', { email: '{{ trigger.body.email }}', name: 'Client', customerId: '', fields: [{ name: 'company', label: 'Company' }] }, 260),
        ],
        [edge('order', 'intake')],
      ),
    );
    await h.publish(flowId);
    const testRun = await h.testRun(flowId, { body: { id: 'intake_test', email: 'tested@example.com' } });
    const raw = JSON.stringify({ id: 'intake_real', email: 'real@example.com' });
    const res = await fetch(`${app.url}/hooks/webhook/${flowId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(secret, raw, Math.floor(Date.now() / 1000)) },
      body: raw,
    });
    const realRun = ((await res.json()) as { runId: string }).runId;
    for (const id of [testRun, realRun]) expect((await h.untilStatus(id, ['succeeded', 'failed'])).status).toBe('succeeded');
    const intakes = (await api.get<{ items: Array<{ runId: string; test: boolean }> }>('/api/intakes')).body.items;
    expect(intakes.find((i) => i.runId === testRun)).toMatchObject({ test: true });
    expect(intakes.find((i) => i.runId === realRun)).toMatchObject({ test: false });
  });
});
