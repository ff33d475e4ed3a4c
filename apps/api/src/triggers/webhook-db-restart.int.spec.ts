import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '@handoff/nodes';
import { eventually } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { ADMIN, HttpClient } from '../../test/harness';
import { PostgresServer } from '../../test/postgres-server';
import { AppProcess, assertBuilt, freePort, migrateCli, startProcess } from '../../test/processes';

const SIGNING_SECRET = 'whsec_restartBurstSigningSecret';
const EVENTS = 120;
const SENDERS = 6;

/**
 * The database restarts (a managed-Postgres maintenance window, a failover) in the middle
 * of a burst of Stripe webhooks. Stripe retries any delivery that gets no 2xx, so the
 * promise is: every delivery is answered 200 (stored, processed once) or 5xx (retry), never
 * dropped, never a 4xx, and in the end each event has exactly one run that completes.
 */
describe('PostgreSQL restarted during a webhook burst', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-restart-'));
  chmodSync(dir, 0o755);
  let pg: PostgresServer;
  let app: AppProcess;
  let db: Client | null = null;
  let flowId: string;

  beforeAll(async () => {
    assertBuilt();
    const port = await freePort();
    const migrated = await migrateCli({ HANDOFF_DATA_DIR: dir, HANDOFF_DB_PORT: String(port) });
    expect(migrated.code, migrated.out).toBe(0);
    const password = readFileSync(join(dir, 'pg-password'), 'utf8').trim();
    const databaseUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/handoff`;
    pg = new PostgresServer(join(dir, 'pg'), port, databaseUrl);
    await pg.start();
    app = await startProcess('app', {
      databaseUrl,
      secretKey: randomBytes(32).toString('base64'),
      role: 'all',
      env: { HANDOFF_ADMIN_EMAIL: ADMIN.email, HANDOFF_ADMIN_PASSWORD: ADMIN.password, HANDOFF_WORKER_CONCURRENCY: '4' },
    });
    const api = await new HttpClient(app.url).login();
    const whsec = (await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: SIGNING_SECRET })).body.id;
    const h = flowHelpers(api);
    flowId = await h.createFlow(
      flow(
        'restart burst',
        [
          node('paid', 'stripe.trigger', { events: ['checkout.session.completed'], signingSecret: { credential: whsec } }),
          node('cleared', 'branch', { condition: "trigger.payment.status = 'cleared'" }),
          node('won', 'crm.updateDeal', { stage: 'paid_won', idempotencyKey: '{{ trigger.payment.objectId }}:won' }),
        ],
        [edge('paid', 'cleared'), edge('cleared', 'won', 'true')],
      ),
    );
    await h.publish(flowId);
    db = new Client({ connectionString: databaseUrl });
  }, 120_000);
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await app?.stop();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every delivery 200 or 503, and after Stripe-style retries each event has exactly one completed run', async () => {
    const events = Array.from({ length: EVENTS }, (_, i) =>
      sampleEvent('checkout_paid', { data: { object: { id: `cs_test_restart_${i}`, payment_intent: `pi_restart_${i}`, customer: `cus_restart_${i}`, customer_details: { email: `restart${i}@example.com` } } } }),
    );
    const answers: Array<number | string> = [];
    let acked = 0;
    let restart: Promise<void> | null = null;

    // A delivery is retried, re-signed, until it gets a 2xx, like Stripe (much faster than Stripe's backoff).
    async function deliver(event: (typeof events)[number]): Promise<void> {
      const payload = JSON.stringify(event);
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET });
        const status = await fetch(`${app.url}/hooks/stripe/${flowId}`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } }).then(
          async (r) => (await r.arrayBuffer(), r.status),
          (e: Error) => `network error: ${e.message}`,
        );
        answers.push(status);
        if (status === 200) {
          // A quarter of the way in, the database goes down for a second and comes back.
          if (++acked === EVENTS / 4) restart = pg.stop().then(() => new Promise((r) => setTimeout(r, 1000))).then(() => pg.start());
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${event.id} was never acknowledged; last answers ${answers.slice(-5).join(', ')}; app output:\n${app.output().slice(-3000)}`);
    }
    let next = 0;
    await Promise.all(Array.from({ length: SENDERS }, async () => {
      while (next < events.length) await deliver(events[next++]);
    }));
    await restart;

    const counted = answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [String(a)]: (acc[String(a)] ?? 0) + 1 }), {});
    // The app answered every request it received: no dropped connections, no 4xx, no 500.
    expect(Object.keys(counted).sort(), JSON.stringify(counted)).toEqual(['200', '503']);
    expect(counted['200']).toBe(EVENTS);
    expect(app.child.exitCode).toBeNull();

    await db!.connect();
    const { rows: [check] } = await db!.query<{ events: number; one_run: number }>(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE (SELECT count(*) FROM runs r WHERE r.flow_id = e.flow_id AND r.event_id = e.trigger_key) = 1)::int AS one_run
       FROM trigger_events e WHERE e.flow_id = $1`,
      [flowId],
    );
    expect(check).toEqual({ events: EVENTS, one_run: EVENTS });
    // The worker lost its connections too; it reconnects and finishes every run.
    await eventually(async () => {
      const { rows } = await db!.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM runs WHERE flow_id = $1 GROUP BY status`, [flowId]);
      return rows.length === 1 && rows[0].status === 'succeeded' && rows[0].n === EVENTS ? rows : undefined;
    }, 60_000, 'every run to succeed after the restart');
    const { rows: [crm] } = await db!.query<{ won: number; moves: number }>(
      `SELECT (SELECT count(*)::int FROM crm_deals WHERE stage = 'paid_won') AS won, (SELECT count(*)::int FROM deal_stage_history) AS moves`,
    );
    expect(crm).toEqual({ won: EVENTS, moves: EVENTS });
    expect(await fetch(`${app.url}/readyz`).then((r) => r.status)).toBe(200);
  }, 240_000);
});
