import { Client } from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent, templateDocument } from '@handoff/nodes';
import { eventually } from '../../test/fake-http';
import { flowHelpers } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { AppProcess, startProcess } from '../../test/processes';

const SIGNING_SECRET = 'whsec_clusterStormSigningSecret';
const PAYMENTS = 30;
const COPIES = 8;

type Ack = { received: true; duplicate: boolean; runId?: string };

/**
 * Production shape: two api processes behind a balancer and two worker processes, all on
 * one database, while Stripe delivers every event several times at once to both api processes.
 */
describe('2 api + 2 worker processes under a duplicate storm', () => {
  let setup: TestApp;
  let db: Client;
  let flowId: string;
  const apis: AppProcess[] = [];
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    // The in-process app only creates the database, the admin and the flow; it runs no worker and then closes.
    setup = await startTestApp({ role: 'api' });
    const api = await new HttpClient(setup.url).login();
    const whsec = (await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: SIGNING_SECRET })).body.id;
    const doc = templateDocument('payment-to-onboarding')!;
    for (const n of doc.nodes) if (n.type === 'stripe.trigger') n.config.signingSecret = { credential: whsec };
    const h = flowHelpers(api);
    flowId = await h.createFlow(doc);
    await h.publish(flowId);
    await setup.close();

    const opts = { databaseUrl: setup.databaseUrl, secretKey: setup.secretKey, env: { LOG_LEVEL: 'info', HANDOFF_WORKER_CONCURRENCY: '3' } };
    const started = await Promise.all([
      startProcess('api-1', { ...opts, role: 'api' }),
      startProcess('api-2', { ...opts, role: 'api' }),
      startProcess('worker-1', { ...opts, role: 'worker' }),
      startProcess('worker-2', { ...opts, role: 'worker' }),
    ]);
    apis.push(started[0], started[1]);
    workers.push(started[2], started[3]);
    db = new Client({ connectionString: setup.databaseUrl });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await Promise.all([...apis, ...workers].map((p) => p.stop()));
  });

  it('starts exactly one run per event, runs every step once, and logs each with its run and event ids', async () => {
    // Distinct clients and checkout sessions, so each payment has its own idempotency keys.
    const events = Array.from({ length: PAYMENTS }, (_, i) =>
      sampleEvent('checkout_paid', { data: { object: { id: `cs_test_storm_${i}`, payment_intent: `pi_storm_${i}`, customer: `cus_storm_${i}`, customer_details: { email: `client${i}@example.com` } } } }),
    );
    const deliveries = events.flatMap((event, i) =>
      Array.from({ length: COPIES }, (_, copy) => async () => {
        const payload = JSON.stringify(event);
        // Each copy is signed on its own (Stripe signs every attempt) and alternates between the api processes.
        const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) - copy });
        const res = await fetch(`${apis[(i + copy) % 2].url}/hooks/stripe/${flowId}`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
        return { eventId: event.id, status: res.status, body: (await res.json()) as Ack };
      }),
    );
    // All copies of all events in flight together.
    const results = await Promise.all(deliveries.map((d) => d()));

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const accepted = results.filter((r) => !r.body.duplicate);
    expect(accepted).toHaveLength(PAYMENTS);
    expect(new Set(accepted.map((r) => r.eventId)).size).toBe(PAYMENTS);

    const perEvent = await db.query<{ event_id: string; runs: number; duplicates: number }>(
      `SELECT e.trigger_key AS event_id, (SELECT count(*)::int FROM runs r WHERE r.flow_id = e.flow_id AND r.event_id = e.trigger_key) AS runs, e.duplicate_count AS duplicates
       FROM trigger_events e WHERE e.flow_id = $1`,
      [flowId],
    );
    expect(perEvent.rows).toHaveLength(PAYMENTS);
    for (const row of perEvent.rows) expect(row, row.event_id).toMatchObject({ runs: 1, duplicates: COPIES - 1 });

    await eventually(async () => {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE flow_id = $1 AND status IN ('succeeded','failed','cancelled')`, [flowId]);
      return rows[0].n === PAYMENTS;
    }, 90_000, 'every run to finish');

    const { rows: steps } = await db.query<{ node_id: string; status: string; attempt: number; n: number }>(
      `SELECT s.node_id, s.status, s.attempt, count(*)::int AS n FROM steps s JOIN runs r ON r.id = s.run_id WHERE r.flow_id = $1 GROUP BY 1, 2, 3 ORDER BY 1`,
      [flowId],
    );
    // Every step of every run succeeded on its first attempt: no step was executed twice.
    expect(steps).toEqual(['cleared', 'intake', 'paid', 'tellDelivery', 'tellSales', 'won'].map((node_id) => ({ node_id, status: 'succeeded', attempt: 1, n: PAYMENTS })));
    const { rows: [counts] } = await db.query<{ won: number; history: number; intakes: number; outbox: number }>(
      `SELECT (SELECT count(*)::int FROM crm_deals WHERE stage = 'paid_won') AS won,
              (SELECT count(*)::int FROM deal_stage_history) AS history,
              (SELECT count(*)::int FROM intakes) AS intakes,
              (SELECT count(*)::int FROM outbox_messages) AS outbox`,
    );
    // One deal moved once, one intake, two team notifications and one intake e-mail per payment.
    expect(counts).toEqual({ won: PAYMENTS, history: PAYMENTS, intakes: PAYMENTS, outbox: PAYMENTS * 3 });

    // The api processes log each accepted event with its event and run ids.
    const ackLines = apis.flatMap((p) => p.logLines()).filter((l) => l.msg === 'stripe event accepted');
    expect(ackLines.map((l) => l.eventId).sort()).toEqual(accepted.map((r) => r.eventId).sort());
    for (const l of ackLines) expect(l).toMatchObject({ flowId, runId: expect.any(String), eventId: expect.stringMatching(/^evt_/) });
    // Each run finished in exactly one worker process, which logged it with the run's event id.
    const doneLines = workers.map((p) => p.logLines().filter((l) => l.msg === 'run succeeded'));
    const finishedRuns = doneLines.flat().map((l) => l.runId);
    expect(new Set(finishedRuns).size).toBe(PAYMENTS);
    expect(finishedRuns).toHaveLength(PAYMENTS);
    const eventOfRun = new Map(accepted.map((r) => [r.body.runId, r.eventId]));
    for (const l of doneLines.flat()) expect(l.eventId).toBe(eventOfRun.get(l.runId as string));
  }, 180_000);
});
