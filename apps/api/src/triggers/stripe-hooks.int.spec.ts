import { Client } from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowDocument, sampleEvent, SampleKind, StripeEventLike } from '@handoff/nodes';
import { eventually } from '../../test/fake-http';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

const SECRET = 'whsec_INTEGRATIONsigningSECRET0077';

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}
interface Ack {
  received?: boolean;
  duplicate?: boolean;
  ignored?: boolean;
  held?: boolean;
  runId?: string;
  statusCode?: number;
  message?: string;
}
interface EventItem {
  id: string;
  flowId: string;
  eventId: string;
  type: string;
  status: string;
  duplicateCount: number;
  runId: string | null;
  receivedAt: string;
  lastSeenAt: string;
}

/** A Stripe trigger feeding a branch, as in the flagship flow; `extra` adds nodes and edges after the trigger. */
function flowDoc(credentialId: string, events: string[] | null, extra: Pick<FlowDocument, 'nodes' | 'edges'> | null = null): FlowDocument {
  return {
    schema: 'handoff.flow/1',
    name: 'Stripe intake test',
    nodes: [
      { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { ...(events ? { events } : {}), signingSecret: { credential: credentialId } } },
      ...(extra ? extra.nodes : [{ id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } }]),
    ],
    edges: extra ? extra.edges : [{ id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' }],
  };
}

describe('Stripe webhook intake (POST /hooks/stripe/:flowId)', () => {
  let app: TestApp;
  let admin: HttpClient;
  let db: Client;
  let credentialId: string;
  /** Every response body this file sees, to prove the secret never leaves the server. */
  const seen: string[] = [];

  const track = async <T,>(p: Promise<{ status: number; body: T }>): Promise<{ status: number; body: T }> => {
    const res = await p;
    seen.push(JSON.stringify(res.body));
    return res;
  };

  async function createFlow(doc: FlowDocument, publish = true): Promise<string> {
    const created = await track(admin.post<{ id: string }>('/api/flows', doc));
    expect(created.status).toBe(201);
    if (publish) expect((await track(admin.post(`/api/flows/${created.body.id}/publish`, {}))).status).toBe(200);
    return created.body.id;
  }

  /** Posts `payload` exactly as given, signed unless a header is supplied. */
  async function deliver(flowId: string, payload: string, opts: { header?: string | null; timestamp?: number; secret?: string } = {}): Promise<Reply<Ack>> {
    const header = opts.header !== undefined ? opts.header : Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (header !== null) headers['stripe-signature'] = header;
    const res = await fetch(`${app.url}/hooks/stripe/${flowId}`, { method: 'POST', body: payload, headers });
    const text = await res.text();
    seen.push(text);
    return { status: res.status, body: text ? (JSON.parse(text) as Ack) : {} };
  }

  const send = (flowId: string, event: StripeEventLike, opts?: { timestamp?: number }) => deliver(flowId, JSON.stringify(event), opts);

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await db.query<{ n: number }>(`SELECT (${sql})::int AS n`, params);
    return rows[0].n;
  }
  const runsFor = (flowId: string, eventId?: string) =>
    count(`SELECT count(*) FROM runs WHERE flow_id = $1 AND ($2::text IS NULL OR event_id = $2)`, [flowId, eventId ?? null]);
  const storedFor = (flowId: string) => count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1`, [flowId]);

  async function metric(name: string, outcome?: string): Promise<number> {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const label = outcome ? `{outcome="${outcome}"}` : '';
    const line = text.split('\n').find((l) => l.startsWith(`${name}${label} `));
    return line ? Number(line.split(' ')[1]) : 0;
  }

  async function runStatus(runId: string): Promise<string> {
    const { rows } = await db.query<{ status: string }>(`SELECT status FROM runs WHERE id = $1`, [runId]);
    return rows[0]?.status;
  }

  beforeAll(async () => {
    app = await startTestApp();
    admin = await new HttpClient(app.url).login();
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const cred = await track(admin.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'Stripe test endpoint', secret: SECRET }));
    expect(cred.status).toBe(201);
    credentialId = cred.body.id;
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('answers 200 with the run id and starts exactly one run for a first delivery', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const event = sampleEvent('checkout_paid');
    const res = await send(flowId, event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, duplicate: false, runId: expect.any(String) });

    const { rows } = await db.query(`SELECT version, trigger_type, event_id, customer_id, email, trigger FROM runs WHERE id = $1`, [res.body.runId]);
    expect(rows[0]).toMatchObject({ version: 1, trigger_type: 'checkout.session.completed', event_id: event.id, customer_id: 'cus_QXg1o8vcGmoR32', email: 'client@example.com' });
    expect(rows[0].trigger.payment).toMatchObject({ status: 'cleared', amount: 250000 });
    expect(rows[0].trigger.event.id).toBe(event.id);
    const stored = await db.query(`SELECT status, run_id, duplicate_count, type FROM trigger_events WHERE flow_id = $1`, [flowId]);
    expect(stored.rows).toEqual([{ status: 'ran', run_id: res.body.runId, duplicate_count: 0, type: 'checkout.session.completed' }]);

    // the worker takes it from there: trigger, then the branch on the cleared payment
    await eventually(async () => (await runStatus(res.body.runId!)) === 'succeeded', 20_000, 'the run to finish');
    const branch = await db.query(`SELECT port FROM steps WHERE run_id = $1 AND node_id = 'cleared'`, [res.body.runId]);
    expect(branch.rows[0].port).toBe('true');
  });

  it('subscribes to the trigger’s default event types when its config lists none', async () => {
    const flowId = await createFlow(flowDoc(credentialId, null));
    expect((await send(flowId, sampleEvent('checkout_paid'))).body.runId).toEqual(expect.any(String));
    expect((await send(flowId, sampleEvent('async_payment_succeeded'))).body.runId).toEqual(expect.any(String));
    expect((await send(flowId, sampleEvent('invoice_paid'))).body).toEqual({ received: true, ignored: true });
  });

  it('starts exactly one run for 20 concurrent deliveries of one event and counts 19 duplicates', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const event = sampleEvent('checkout_paid');
    const payload = JSON.stringify(event);
    const suppressedBefore = await metric('handoff_duplicates_suppressed_total');
    const duplicatesBefore = await metric('handoff_webhook_requests_total', 'duplicate');

    const replies = await Promise.all(Array.from({ length: 20 }, () => deliver(flowId, payload)));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    const first = replies.filter((r) => r.body.duplicate === false);
    expect(first).toHaveLength(1);
    expect(replies.filter((r) => r.body.duplicate === true)).toHaveLength(19);
    for (const r of replies.filter((x) => x.body.duplicate)) expect(r.body).toEqual({ received: true, duplicate: true });

    expect(await runsFor(flowId, event.id)).toBe(1);
    expect(await runsFor(flowId)).toBe(1);
    const stored = await db.query(`SELECT duplicate_count, run_id FROM trigger_events WHERE flow_id = $1 AND trigger_key = $2`, [flowId, event.id]);
    expect(stored.rows).toEqual([{ duplicate_count: 19, run_id: first[0].body.runId }]);
    expect((await metric('handoff_duplicates_suppressed_total')) - suppressedBefore).toBe(19);
    expect((await metric('handoff_webhook_requests_total', 'duplicate')) - duplicatesBefore).toBe(19);
  });

  it('stores concurrent deliveries together (group commit), each once, and answers a delivery whose insert fails alone', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    // A fault in the real database, for one event id only: its statement fails wherever it goes.
    await db.query(`CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                      IF NEW.trigger_key = 'evt_poison' THEN RAISE EXCEPTION 'poisoned delivery'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER test_poison BEFORE INSERT ON trigger_events FOR EACH ROW EXECUTE FUNCTION test_poison()`);
    try {
      const events = Array.from({ length: 60 }, (_, i) => ({ ...sampleEvent('checkout_paid'), id: i === 30 ? 'evt_poison' : `evt_group_${i}` }));
      const firsts = await Promise.all(events.map((e) => send(flowId, e)));
      // Rows written by one statement share its transaction id: fewer commits than deliveries.
      const commits = await count(`SELECT count(DISTINCT xmin::text) FROM trigger_events WHERE flow_id = $1`, [flowId]);
      expect(commits).toBeLessThan(59);
      // Every event twice more, all at once: copies of one event may never share a statement.
      const replies = [...firsts, ...(await Promise.all([...events, ...events].map((e) => send(flowId, e))))];
      const poison = replies.filter((_, i) => i % 60 === 30);
      expect(poison.map((r) => r.status >= 500)).toEqual([true, true, true]);
      const others = replies.filter((_, i) => i % 60 !== 30);
      expect(others.map((r) => r.status)).toEqual(Array(177).fill(200));
      expect(others.slice(0, 59).map((r) => r.body.duplicate)).toEqual(Array(59).fill(false));
      expect(others.slice(59).map((r) => r.body.duplicate)).toEqual(Array(118).fill(true));
      const { rows } = await db.query<{ events: number; runs: number; dups: number }>(
        `SELECT count(*)::int AS events, count(DISTINCT r.id)::int AS runs, sum(e.duplicate_count)::int AS dups FROM trigger_events e JOIN runs r ON r.id = e.run_id WHERE e.flow_id = $1`,
        [flowId],
      );
      expect(rows[0]).toEqual({ events: 59, runs: 59, dups: 118 });
      expect(await runsFor(flowId, 'evt_poison')).toBe(0);
      for (const r of others.filter((x) => x.body.runId).slice(0, 3)) await eventually(async () => (await runStatus(r.body.runId!)) === 'succeeded', 20_000, 'a run to finish');
    } finally {
      await db.query(`DROP TRIGGER test_poison ON trigger_events; DROP FUNCTION test_poison()`);
    }
  });

  it('announces an accepted delivery after its commit: the run to live views, the job to the workers', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const listener = new Client({ connectionString: app.databaseUrl });
    await listener.connect();
    const heard: Array<{ channel: string; payload: unknown }> = [];
    listener.on('notification', (n) => heard.push({ channel: n.channel, payload: JSON.parse(n.payload ?? 'null') as unknown }));
    try {
      await listener.query('LISTEN handoff_runs; LISTEN "jobs:insert"');
      const res = await send(flowId, sampleEvent('checkout_paid'));
      expect(res.status).toBe(200);
      const runId = res.body.runId;
      // A notification may carry several events (a JSON array): look inside.
      const runEvents = () => heard.filter((h) => h.channel === 'handoff_runs').flatMap((h) => (Array.isArray(h.payload) ? h.payload : [h.payload])) as Array<Record<string, unknown>>;
      await eventually(async () => runEvents().some((e) => e.runId === runId && e.runStatus === 'queued'), 5_000, 'the queued run announced');
      await eventually(async () => heard.some((h) => h.channel === 'jobs:insert' && ((h.payload as { count?: number }).count ?? 0) >= 1), 5_000, 'the workers woken');
      expect(runEvents().find((e) => e.runId === runId && e.runStatus === 'queued')).toEqual({ runId, flowId, runStatus: 'queued' });
    } finally {
      await listener.end();
    }
  });

  it('answers 200 duplicate and starts no run when Stripe retries the same event re-signed later', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const event = sampleEvent('checkout_paid');
    const now = Math.floor(Date.now() / 1000);
    const first = await send(flowId, event, { timestamp: now - 120 });
    expect(first.body.duplicate).toBe(false);
    const retry = await send(flowId, event, { timestamp: now });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(await runsFor(flowId)).toBe(1);
    const { rows } = await db.query(`SELECT duplicate_count, last_seen_at > received_at AS later FROM trigger_events WHERE flow_id = $1`, [flowId]);
    expect(rows).toEqual([{ duplicate_count: 1, later: true }]);
  });

  it('acknowledges an event type the trigger does not subscribe to as ignored, and runs nothing', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const res = await send(flowId, sampleEvent('refund'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(await runsFor(flowId)).toBe(0);
    const { rows } = await db.query(`SELECT status, run_id FROM trigger_events WHERE flow_id = $1`, [flowId]);
    expect(rows).toEqual([{ status: 'ignored', run_id: null }]);
  });

  it('holds events while the flow is paused and runs each once when it is resumed', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed', 'checkout.session.async_payment_succeeded']));
    expect((await track(admin.post<{ status: string }>(`/api/flows/${flowId}/pause`))).body.status).toBe('paused');
    const a = sampleEvent('checkout_paid');
    const b = sampleEvent('async_payment_succeeded');
    expect(await send(flowId, a)).toEqual({ status: 200, body: { received: true, held: true } });
    expect(await send(flowId, b)).toEqual({ status: 200, body: { received: true, held: true } });
    // a repeat of a held event is still just a duplicate
    expect((await send(flowId, a)).body).toEqual({ received: true, duplicate: true });
    expect(await runsFor(flowId)).toBe(0);
    expect(await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1 AND status = 'held'`, [flowId])).toBe(2);

    const resumed = await track(admin.post<{ status: string }>(`/api/flows/${flowId}/resume`));
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('active');
    const { rows } = await db.query<{ event_id: string; status: string; run_id: string | null }>(
      `SELECT trigger_key AS event_id, status, run_id FROM trigger_events WHERE flow_id = $1 ORDER BY seq`,
      [flowId],
    );
    expect(rows.map((r) => [r.event_id, r.status])).toEqual([
      [a.id, 'ran'],
      [b.id, 'ran'],
    ]);
    expect(await runsFor(flowId, a.id)).toBe(1);
    expect(await runsFor(flowId, b.id)).toBe(1);
    for (const r of rows) await eventually(async () => (await runStatus(r.run_id!)) === 'succeeded', 20_000, 'the released run to finish');

    // resuming again releases nothing twice; a new event runs straight away
    await track(admin.post(`/api/flows/${flowId}/resume`));
    expect(await runsFor(flowId)).toBe(2);
    expect((await send(flowId, sampleEvent('checkout_paid'))).body.duplicate).toBe(false);
  });

  it('loses no event that arrives while the flow is being resumed: each ends with exactly one run', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    await track(admin.post(`/api/flows/${flowId}/pause`));
    const events = Array.from({ length: 44 }, () => sampleEvent('checkout_paid'));
    for (const e of events.slice(0, 3)) expect((await send(flowId, e)).body.held).toBe(true);
    // 40 deliveries spread over ~120 ms with the resume landing in the middle of them
    const racing = events.slice(3, 43).map((e, i) => new Promise((r) => setTimeout(r, i * 3)).then(() => send(flowId, e)));
    const resume = new Promise((r) => setTimeout(r, 50)).then(() => track(admin.post(`/api/flows/${flowId}/resume`)));
    const replies = await Promise.all(racing);
    expect((await resume).status).toBe(200);
    expect(replies.every((r) => r.status === 200 && (r.body.held || r.body.runId))).toBe(true);
    expect((await send(flowId, events[43])).body.runId).toEqual(expect.any(String));

    expect(await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1 AND status = 'held'`, [flowId])).toBe(0);
    const { rows } = await db.query<{ event_id: string; n: number }>(`SELECT event_id, count(*)::int AS n FROM runs WHERE flow_id = $1 GROUP BY event_id`, [flowId]);
    expect(rows).toHaveLength(44);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('releases a backlog of held events larger than one release statement, each into exactly one run', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    await track(admin.post(`/api/flows/${flowId}/pause`));
    // RELEASE_BATCH is 50: three statements, the last one partly filled.
    const events = Array.from({ length: 123 }, () => sampleEvent('checkout_paid'));
    for (const e of events) expect((await send(flowId, e)).body.held).toBe(true);
    expect((await track(admin.post(`/api/flows/${flowId}/resume`))).status).toBe(200);

    expect(await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1 AND status = 'held'`, [flowId])).toBe(0);
    const { rows } = await db.query<{ event_id: string; run_id: string; runs: number }>(
      `SELECT e.trigger_key AS event_id, e.run_id, (SELECT count(*)::int FROM runs r WHERE r.flow_id = e.flow_id AND r.event_id = e.trigger_key) AS runs
       FROM trigger_events e WHERE e.flow_id = $1 AND e.status = 'ran' ORDER BY e.seq`,
      [flowId],
    );
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.id));
    expect(rows.every((r) => r.runs === 1)).toBe(true);
    await eventually(async () => (await count(`SELECT count(*) FROM runs WHERE flow_id = $1 AND status = 'succeeded'`, [flowId])) === 123, 30_000, 'every released run to finish');
  });

  it('answers 404 for an unknown flow, a malformed id and a flow that was never published', async () => {
    const unpublished = await createFlow(flowDoc(credentialId, ['checkout.session.completed']), false);
    const payload = JSON.stringify(sampleEvent('checkout_paid'));
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-flow', unpublished]) {
      const res = await deliver(id, payload);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, message: expect.stringContaining('No published flow') });
    }
    expect(await storedFor(unpublished)).toBe(0);
  });

  it('answers 400 with a short reason and stores nothing for a bad, missing or stale signature or a bad payload', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const payload = JSON.stringify(sampleEvent('checkout_paid'));
    const signed = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const thin = JSON.stringify({ id: 'evt_thin_1', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', created: '2025-01-01T00:00:00Z', related_object: { id: 'mtr_1', type: 'billing.meter', url: '/v1/billing/meters/mtr_1' } });
    const badSignatureBefore = await metric('handoff_webhook_requests_total', 'bad_signature');
    const malformedBefore = await metric('handoff_webhook_requests_total', 'malformed');
    const cases: Array<[string, Promise<Reply<Ack>>, RegExp]> = [
      ['wrong secret', deliver(flowId, payload, { secret: 'whsec_someoneElsesSecret' }), /does not match/],
      ['missing header', deliver(flowId, payload, { header: null }), /Missing Stripe-Signature/],
      ['garbage header', deliver(flowId, payload, { header: 'sig' }), /Malformed Stripe-Signature/],
      ['only a v0 signature', deliver(flowId, payload, { header: Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, scheme: 'v0' }) }), /No v1 signature/],
      ['stale timestamp', deliver(flowId, payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }), /300 s old/],
      ['body altered after signing', deliver(flowId, payload.replace('"paid"', '"unpaid"'), { header: signed }), /does not match/],
      ['malformed JSON', deliver(flowId, '{"id": "evt_broken", "type": '), /not valid JSON/],
      ['thin v2 payload', deliver(flowId, thin), /Thin/],
      ['JSON that is not an event', deliver(flowId, '{"hello": "world"}'), /not a Stripe event/],
      ['empty body', deliver(flowId, ''), /Empty body/],
    ];
    for (const [name, pending, reason] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(400);
      expect(res.body.statusCode, name).toBe(400);
      expect(res.body.message, name).toMatch(reason);
      expect(res.body.message!.length, name).toBeLessThan(140);
    }
    expect(await storedFor(flowId)).toBe(0);
    expect(await runsFor(flowId)).toBe(0);
    expect((await metric('handoff_webhook_requests_total', 'bad_signature')) - badSignatureBefore).toBe(6);
    expect((await metric('handoff_webhook_requests_total', 'malformed')) - malformedBefore).toBe(4);

    // the SDK ignores v0 and accepts any matching v1 among several
    const [t, v1] = signed.split(',');
    const res = await deliver(flowId, payload, { header: `${t},v0=${'0'.repeat(64)},v1=${'f'.repeat(64)},${v1}` });
    expect(res.body.duplicate).toBe(false);
  });

  it('stops accepting events as soon as the signing secret credential is deleted', async () => {
    const other = 'whsec_SECONDsecretTOdelete0001';
    const cred = await track(admin.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'to delete', secret: other }));
    const flowId = await createFlow(flowDoc(cred.body.id, ['checkout.session.completed']));
    const payload = (e: StripeEventLike) => JSON.stringify(e);
    const first = sampleEvent('checkout_paid');
    expect((await deliver(flowId, payload(first), { secret: other })).body.duplicate).toBe(false);
    expect((await track(admin.delete(`/api/credentials/${cred.body.id}`))).status).toBe(204);
    const res = await deliver(flowId, payload(sampleEvent('checkout_paid')), { secret: other });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/no usable signing secret/);
    expect(await storedFor(flowId)).toBe(1);
    for (const body of seen) expect(body).not.toContain(other);
  });

  it('follows a newly published version at once: its signing secret and its event types, though the first was in use', async () => {
    const [a, b] = ['whsec_VERSIONoneSECRET000000001', 'whsec_VERSIONtwoSECRET000000002'];
    const credA = await track(admin.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'version 1', secret: a }));
    const credB = await track(admin.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'version 2', secret: b }));
    const flowId = await createFlow(flowDoc(credA.body.id, ['checkout.session.completed']));
    const payload = (e: StripeEventLike) => JSON.stringify(e);
    expect((await deliver(flowId, payload(sampleEvent('checkout_paid')), { secret: a })).body.duplicate).toBe(false);

    // Version 2: another secret, and async payments too.
    expect((await track(admin.put(`/api/flows/${flowId}`, flowDoc(credB.body.id, ['checkout.session.completed', 'checkout.session.async_payment_succeeded'])))).status).toBe(200);
    expect((await track(admin.post(`/api/flows/${flowId}/publish`, {}))).status).toBe(200);

    const old = await deliver(flowId, payload(sampleEvent('checkout_paid')), { secret: a });
    expect(old.status).toBe(400);
    const next = await deliver(flowId, payload(sampleEvent('async_payment_succeeded')), { secret: b });
    expect(next.status).toBe(200);
    expect(next.body.runId).toBeDefined();
    const { rows } = await db.query<{ version: number }>(`SELECT version FROM runs WHERE id = $1`, [next.body.runId]);
    expect(rows[0].version).toBe(2);
  });

  it('answers 413 with a short reason for a body over 1 MiB, and stores nothing', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const big = sampleEvent('checkout_paid', { data: { object: { metadata: { padding: 'x'.repeat(2 * 1024 * 1024) } } } });
    const before = await metric('handoff_webhook_requests_total', 'too_large');
    const res = await send(flowId, big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 413, message: expect.stringMatching(/too large.*1 MiB/i) });
    expect(await storedFor(flowId)).toBe(0);
    expect((await metric('handoff_webhook_requests_total', 'too_large')) - before).toBe(1);
  });

  it('wakes a waiting wait.event step with a matching later event, in the worker, and not with a non-matching one', async () => {
    const flowId = await createFlow(
      flowDoc(credentialId, ['checkout.session.completed'], {
        nodes: [
          { id: 'invoice', type: 'wait.event', position: { x: 260, y: 0 }, config: { types: ['invoice.paid'], match: 'event.data.object.customer = trigger.payment.customerId', timeout: 'P7D' } },
          { id: 'cleared', type: 'branch', position: { x: 520, y: 0 }, config: { condition: "steps.invoice.type = 'invoice.paid'" } },
        ],
        edges: [
          { id: 'e1', source: 'paid', sourcePort: 'out', target: 'invoice' },
          { id: 'e2', source: 'invoice', sourcePort: 'event', target: 'cleared' },
        ],
      }),
    );
    const started = await send(flowId, sampleEvent('checkout_paid'));
    const runId = started.body.runId!;
    await eventually(async () => (await runStatus(runId)) === 'waiting', 20_000, 'the run to wait for the invoice');

    const pendingMatches = () => count(`SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier = 'match_event'`);
    const other = sampleEvent('invoice_paid', { data: { object: { customer: 'cus_someoneElse' } } } as Partial<StripeEventLike>);
    // not a trigger type: acknowledged as ignored, but matched against the waits in the background
    expect((await send(flowId, other)).body).toEqual({ received: true, ignored: true });
    await eventually(async () => (await pendingMatches()) === 0, 20_000, 'the match job for the other customer');
    expect(await runStatus(runId)).toBe('waiting');

    const invoice = sampleEvent('invoice_paid');
    expect((await send(flowId, invoice)).body).toEqual({ received: true, ignored: true });
    await eventually(async () => (await runStatus(runId)) === 'succeeded', 20_000, 'the run to resume on the invoice');
    const { rows } = await db.query(`SELECT port, output FROM steps WHERE run_id = $1 AND node_id = 'invoice'`, [runId]);
    expect(rows[0].port).toBe('event');
    expect(rows[0].output.id).toBe(invoice.id);
    expect(await count(`SELECT count(*) FROM event_waits WHERE run_id = $1`, [runId])).toBe(0);
    expect(await runsFor(flowId)).toBe(1);
  });

  it('lists received events for viewers, newest first, keyset-paginated and filtered by flow', async () => {
    const flowId = await createFlow(flowDoc(credentialId, ['checkout.session.completed']));
    const kinds: SampleKind[] = ['checkout_paid', 'refund', 'checkout_paid'];
    const sent = [];
    for (const k of kinds) {
      const e = sampleEvent(k);
      sent.push(e);
      await send(flowId, e);
    }
    await send(flowId, sent[0]);

    await admin.post('/api/users', { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' });
    const viewer = await new HttpClient(app.url).login('viewer@example.com', 'viewer-password-1');
    const page1 = await track(viewer.get<{ items: EventItem[]; nextCursor: string | null }>(`/api/events?flowId=${flowId}&limit=2`));
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((e) => e.eventId)).toEqual([sent[2].id, sent[1].id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await track(viewer.get<{ items: EventItem[]; nextCursor: string | null }>(`/api/events?flowId=${flowId}&limit=2&cursor=${page1.body.nextCursor}`));
    expect(page2.body.items.map((e) => e.eventId)).toEqual([sent[0].id]);
    expect(page2.body.nextCursor).toBeNull();

    const [ignored] = page1.body.items.slice(1);
    expect(ignored).toMatchObject({ flowId, type: 'charge.refunded', status: 'ignored', runId: null, duplicateCount: 0 });
    expect(page2.body.items[0]).toMatchObject({ status: 'ran', duplicateCount: 1, runId: expect.any(String) });
    expect(Object.keys(page2.body.items[0])).toEqual(expect.arrayContaining(['id', 'flowId', 'eventId', 'type', 'status', 'duplicateCount', 'runId', 'receivedAt', 'lastSeenAt']));
    expect(JSON.stringify(page2.body)).not.toContain('payload');

    expect((await new HttpClient(app.url).get('/api/events')).status).toBe(401);
    expect((await viewer.get('/api/events?cursor=abc')).status).toBe(400);
    expect((await viewer.get('/api/events?flowId=nope')).status).toBe(400);
  });

  it('serves Prometheus metrics without login', async () => {
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    for (const outcome of ['accepted', 'duplicate', 'ignored', 'held', 'bad_signature', 'malformed', 'too_large', 'unknown_flow']) {
      expect(text).toContain(`handoff_webhook_requests_total{outcome="${outcome}"}`);
    }
    expect(text).toContain('handoff_duplicates_suppressed_total');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('never shows the signing secret in any response', () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const body of seen) expect(body).not.toContain(SECRET);
  });

  it('lets a live flow refuse test-mode events: acknowledged, stored as ignored, no run', async () => {
    const doc = flowDoc(credentialId, null);
    doc.nodes[0].config = { ...doc.nodes[0].config, livemode: 'live' };
    const flowId = await createFlow(doc);
    const testEvent = { ...sampleEvent('checkout_paid'), livemode: false };
    expect((await send(flowId, testEvent)).body).toEqual({ received: true, ignored: true });
    const liveEvent = { ...sampleEvent('checkout_paid'), livemode: true };
    const live = await send(flowId, liveEvent);
    expect(live.body).toMatchObject({ received: true, duplicate: false });
    expect(await count(`SELECT count(*) FROM runs WHERE flow_id = $1`, [flowId])).toBe(1);
  });
});
