import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent, templateDocument, type StripeEventLike } from '@handoff/nodes';
import { eventually } from '../../test/fake-http';
import { flowHelpers } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

const SIGNING_SECRET = 'whsec_metricsSigningSecret';

/** The value of one sample (`name{labels} value`) in a Prometheus text exposition; 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('/metrics: runs, steps, payment to kickoff, reviews and outbox backlog', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let flowId: string;

  beforeAll(async () => {
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    const whsec = (await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: SIGNING_SECRET })).body.id;
    const doc = templateDocument('payment-to-onboarding')!;
    for (const n of doc.nodes) if (n.type === 'stripe.trigger') n.config.signingSecret = { credential: whsec };
    flowId = await h.createFlow(doc);
    await h.publish(flowId);
  });
  afterAll(() => app?.close());

  const scrape = async () => (await fetch(`${app.url}/metrics`)).text();
  async function send(event: StripeEventLike): Promise<string> {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET });
    const res = await api.request<{ runId: string }>('POST', `/hooks/stripe/${flowId}`, payload, { 'content-type': 'application/json', 'stripe-signature': signature });
    expect(res.status).toBe(200);
    return res.body.runId;
  }

  it('exports every gauge at zero before anything ran', async () => {
    const text = await scrape();
    for (const status of ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']) expect(text).toContain(`handoff_runs{status="${status}"} 0`);
    expect(text).toContain('handoff_reviews_pending 0');
    for (const status of ['pending', 'retrying', 'held', 'dead']) expect(text).toContain(`handoff_outbox_backlog{status="${status}"} 0`);
    expect(text).toContain('handoff_metrics_database_up 1');
    expect(text).toContain('# TYPE handoff_payment_to_kickoff_seconds histogram');
    expect(sample(text, 'handoff_payment_to_kickoff_seconds_count')).toBe(0);
  });

  it('counts a paid run, its step latencies and its payment-to-kickoff time; an unpaid one as a pending review', async () => {
    const paid = await send(sampleEvent('checkout_paid'));
    expect((await h.untilStatus(paid, ['succeeded', 'failed'])).status).toBe('succeeded');
    const unpaid = await send(sampleEvent('checkout_unpaid', { data: { object: { id: 'cs_test_unpaid_metrics' } } }));
    expect((await h.untilStatus(unpaid, ['waiting', 'failed'])).status).toBe('waiting');

    // Database gauges are cached for a few seconds per process: wait for a fresh read.
    const text = await eventually(async () => {
      const t = await scrape();
      return sample(t, 'handoff_runs', '{status="waiting"}') === 1 ? t : undefined;
    }, 15_000, 'the run gauges to show the waiting run');
    expect(sample(text, 'handoff_runs', '{status="succeeded"}')).toBe(1);
    expect(sample(text, 'handoff_reviews_pending')).toBe(1);
    // No notification credentials are set on the template: its messages wait, held, in the outbox.
    const outbox = (await api.get<{ items: Array<{ status: string }> }>('/api/outbox')).body.items;
    expect(outbox.length).toBeGreaterThan(0);
    expect(sample(text, 'handoff_outbox_backlog', '{status="held"}')).toBe(outbox.filter((m) => m.status === 'held').length);

    expect(sample(text, 'handoff_step_duration_seconds_count', '{node_type="intake.start",outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'handoff_step_duration_seconds_count', '{node_type="review",outcome="waiting"}')).toBe(1);
    expect(sample(text, 'handoff_step_duration_seconds_count', '{node_type="stripe.trigger",outcome="succeeded"}')).toBe(2);
    // Only the paid run started an intake: one kickoff, observed well within a minute of the event.
    expect(sample(text, 'handoff_payment_to_kickoff_seconds_count')).toBe(1);
    const kickoff = sample(text, 'handoff_payment_to_kickoff_seconds_sum');
    expect(kickoff).toBeGreaterThan(0);
    expect(kickoff).toBeLessThan(60);
    // Two deliveries, one at a time: each its own statement (group commit forms only under load).
    expect(sample(text, 'handoff_ingest_batch_size_count')).toBe(2);
    expect(sample(text, 'handoff_ingest_batch_size_sum')).toBe(2);
    expect(sample(text, 'handoff_db_statements_total')).toBeGreaterThan(10);
  });
});

describe('protected /metrics and /api/docs', () => {
  it('asks for the metrics token and a login for the API reference when configured', async () => {
    const app = await startTestApp({ metricsToken: 'scrape-secret-123', apiDocsLogin: true });
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret-123' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/handoff_webhook_requests_total/);
      expect((await fetch(`${app.url}/api/docs-json`)).status).toBe(401);
      const api = await new HttpClient(app.url).login();
      expect((await api.get('/api/docs-json')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
