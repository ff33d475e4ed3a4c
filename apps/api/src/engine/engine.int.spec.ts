import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node, type RunView } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

describe('durable engine', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  const ext = new FakeHttp();

  beforeAll(async () => {
    await ext.start();
    app = await startTestApp({ workerConcurrency: 2, heartbeatSeconds: 1, workerStaleSeconds: 3 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
    await ext.stop();
  });

  async function createFlow(doc: unknown): Promise<string> {
    const res = await api.post<{ id: string; problems: unknown[] }>('/api/flows', doc);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.problems).toEqual([]);
    return res.body.id;
  }

  const testRun = (flowId: string, payload: Record<string, unknown> = {}) => h.testRun(flowId, payload);
  const getRun = (id: string) => h.getRun(id);
  const untilStatus = (id: string, statuses: string[], ms?: number) => h.untilStatus(id, statuses, ms);
  const step = (run: RunView, nodeId: string) => h.step(run, nodeId);

  it('walks a branch to the true port, passes outputs along and runs each node once', async () => {
    const id = await createFlow(
      flow(
        'branching',
        [
          node('start', 'manual.trigger'),
          node('big', 'branch', { condition: 'trigger.amount > 100' }),
          node('callBig', 'http.request', { url: `${ext.url}/big`, body: '{{ trigger }}' }),
          node('callSmall', 'http.request', { url: `${ext.url}/small` }),
        ],
        [edge('start', 'big'), edge('big', 'callBig', 'true'), edge('big', 'callSmall', 'false')],
      ),
    );
    const runId = await testRun(id, { amount: 250 });
    const run = await untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(step(run, 'big')).toMatchObject({ status: 'succeeded', port: 'true' });
    expect(step(run, 'callBig')).toMatchObject({ status: 'succeeded', output: { status: 200, body: { ok: true } } });
    expect(step(run, 'callSmall')).toBeUndefined();
    expect(ext.to('/big')).toHaveLength(1);
    expect(JSON.parse(ext.to('/big')[0].body)).toEqual({ amount: 250 });
    expect(ext.to('/big')[0].headers['idempotency-key']).toBe(`test:${runId}:callBig`);

    // Each step's input is what fed it; a succeeded step records where from, not a copy.
    const shown = await api.get<{ payload: unknown; steps: Array<{ nodeId: string; input: unknown; output: unknown }> }>(`/api/runs/${runId}`);
    const view = (id: string) => shown.body.steps.find((s) => s.nodeId === id)!;
    expect(view('start').input).toEqual(shown.body.payload);
    expect(view('big').input).toEqual(view('start').output);
    expect(view('callBig').input).toEqual(view('big').output);
    expect(view('callBig').input).not.toBeNull();
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT node_id, input, input_from FROM steps WHERE run_id = $1 ORDER BY node_id`, [runId]);
      expect(rows).toEqual([
        { node_id: 'big', input: null, input_from: 'start' },
        { node_id: 'callBig', input: null, input_from: 'big' },
        { node_id: 'start', input: null, input_from: '' },
      ]);
    } finally {
      await db.end();
    }
  });

  it('retries a failing http.request with backoff, fails the run, and `retry` finishes it without repeating earlier steps', async () => {
    let healthy = false;
    ext.respond((req, res) => {
      if (req.path === '/flaky' && !healthy) return void res.writeHead(503).end('down for maintenance');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const id = await createFlow(
      flow(
        'flaky',
        [
          node('start', 'manual.trigger'),
          node('first', 'http.request', { url: `${ext.url}/first` }),
          node('flaky', 'http.request', { url: `${ext.url}/flaky`, retry: { attempts: 2 } }),
        ],
        [edge('start', 'first'), edge('first', 'flaky')],
      ),
    );
    const runId = await testRun(id);
    const failed = await untilStatus(runId, ['failed', 'succeeded'], 30_000);
    expect(failed.status).toBe('failed');
    expect(step(failed, 'flaky')).toMatchObject({ status: 'failed', attempt: 2 });
    expect(step(failed, 'flaky')!.error).toMatch(/answered 503: down for maintenance/);
    expect(failed.error).toMatch(/flaky/);
    expect(ext.to('/flaky')).toHaveLength(2);

    healthy = true;
    const retried = await api.post<RunView>(`/api/runs/${runId}/retry`);
    expect(retried.status).toBe(201);
    const done = await untilStatus(runId, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(ext.to('/first')).toHaveLength(1);
    expect(ext.to('/flaky')).toHaveLength(3);
    // every attempt of the step carried the same key, so the remote API can dedupe
    expect(new Set(ext.to('/flaky').map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect((await api.post(`/api/runs/${runId}/retry`)).status).toBe(409);
  });

  it('fails a step with a broken expression at once, with a clear message, and keeps the process up', async () => {
    const id = await createFlow(
      flow('broken', [node('start', 'manual.trigger'), node('call', 'http.request', { url: `${ext.url}/x`, body: '{{ $number("abc") }}' })], [edge('start', 'call')]),
    );
    const run = await untilStatus(await testRun(id), ['failed', 'succeeded']);
    expect(run.status).toBe('failed');
    expect(step(run, 'call')).toMatchObject({ status: 'failed', attempt: 1 });
    expect(step(run, 'call')!.error).toMatch(/\$number/);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('holds a run at a review, continues on approved after a decision, and refuses a second decision with 409', async () => {
    const id = await createFlow(
      flow(
        'review',
        [
          node('start', 'manual.trigger'),
          node('hold', 'review', { reason: 'Payment of {{ trigger.amount }} needs a look', owner: 'finance@example.com' }),
          node('ok', 'http.request', { url: `${ext.url}/approved` }),
          node('no', 'http.request', { url: `${ext.url}/rejected` }),
        ],
        [edge('start', 'hold'), edge('hold', 'ok', 'approved'), edge('hold', 'no', 'rejected')],
      ),
    );
    const runId = await testRun(id, { amount: 99 });
    await untilStatus(runId, ['waiting']);
    const reviews = await api.get<{ items: Array<{ id: string; runId: string; reason: string; status: string }> }>('/api/reviews?status=pending&includeTest=true');
    const review = reviews.body.items.find((r) => r.runId === runId)!;
    expect(review.reason).toBe('Payment of 99 needs a look');
    const outbox = await api.get<{ items: Array<{ recipient: string; subject: string; status: string }> }>(`/api/outbox?runId=${runId}`);
    expect(outbox.body.items).toEqual([expect.objectContaining({ recipient: 'finance@example.com', status: 'held' })]);

    const decided = await api.post<{ status: string; decidedBy: string }>(`/api/reviews/${review.id}/decision`, { decision: 'approve', note: 'checked the bank' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', decidedBy: 'admin@example.com' });
    const run = await untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(step(run, 'hold')).toMatchObject({ status: 'succeeded', port: 'approved' });
    expect(ext.to('/approved').length).toBeGreaterThanOrEqual(1);
    expect(step(run, 'no')).toBeUndefined();

    const again = await api.post<{ message: string }>(`/api/reviews/${review.id}/decision`, { decision: 'reject' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already approved/);
  });

  // wait.event's timeout: stripe-actions.int.spec.ts (a wait needs a Stripe trigger, validate-flow.ts).
  it('fires a delay, and the timeout of a review, after their deadlines', async () => {
    const id = await createFlow(
      flow(
        'timeouts',
        [
          node('start', 'manual.trigger'),
          node('pause', 'delay', { duration: 'PT1S' }),
          node('hold', 'review', { reason: 'late', owner: 'owner@example.com', timeout: 'PT1S' }),
          node('timedOut', 'http.request', { url: `${ext.url}/timed-out` }),
        ],
        [edge('start', 'pause'), edge('pause', 'hold'), edge('hold', 'timedOut', 'timeout')],
      ),
    );
    const runId = await testRun(id);
    const run = await untilStatus(runId, ['succeeded', 'failed'], 30_000);
    expect(run.status).toBe('succeeded');
    expect(step(run, 'pause')).toMatchObject({ status: 'succeeded', port: 'out' });
    expect(step(run, 'hold')).toMatchObject({ status: 'succeeded', port: 'timeout' });
    const reviews = await api.get<{ items: Array<{ id: string; runId: string; status: string }> }>('/api/reviews?includeTest=true');
    const review = reviews.body.items.find((r) => r.runId === runId)!;
    expect(review.status).toBe('expired');
    expect((await api.post(`/api/reviews/${review.id}/decision`, { decision: 'approve' })).status).toBe(409);
  });

  it('cancels a waiting run and removes its timer', async () => {
    const id = await createFlow(flow('long wait', [node('start', 'manual.trigger'), node('pause', 'delay', { duration: 'P1D' })], [edge('start', 'pause')]));
    const runId = await testRun(id);
    await untilStatus(runId, ['waiting']);
    const res = await api.post<RunView>(`/api/runs/${runId}/cancel`);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('cancelled');
    expect(step(res.body, 'pause')!.status).toBe('cancelled');
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE payload->>'runId' = $1`, [runId]);
    await db.end();
    expect(rows[0].n).toBe(0);
    expect((await api.post(`/api/runs/${runId}/cancel`)).status).toBe(409);
  });

  it('records a repeat of an effect as a skipped step pointing at the earlier run, never a second call', async () => {
    const id = await createFlow(
      flow('once per order', [node('start', 'manual.trigger'), node('provision', 'http.request', { url: `${ext.url}/provision`, idempotencyKey: 'order-{{ trigger.orderId }}' })], [
        edge('start', 'provision'),
      ]),
    );
    const first = await untilStatus(await testRun(id, { orderId: 'A1' }), ['succeeded', 'failed']);
    const second = await untilStatus(await testRun(id, { orderId: 'A1' }), ['succeeded', 'failed']);
    expect(first.status).toBe('succeeded');
    expect(second.status).toBe('succeeded');
    expect(step(second, 'provision')).toMatchObject({ status: 'skipped', skippedOfRun: first.id, output: { skipped: true, earlierRunId: first.id } });
    expect(ext.to('/provision')).toHaveLength(1);
  });

  it('pages the run list by keyset cursor without overlap, filtered by flow and searchable', async () => {
    const id = await createFlow(flow('many', [node('start', 'manual.trigger'), node('check', 'branch', { condition: 'true' })], [edge('start', 'check')]));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await testRun(id));
    await Promise.all(ids.map((r) => untilStatus(r, ['succeeded'])));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.get(`/api/runs?flowId=${id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const byId = await api.get<{ items: Array<{ id: string }> }>(`/api/runs?q=${ids[2]}`);
    expect(byId.body.items.map((r) => r.id)).toEqual([ids[2]]);
    const other = await api.get<{ items: unknown[] }>(`/api/runs?q=${encodeURIComponent('Nobody@Example.com')}`);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    expect((await api.get('/api/runs?cursor=abc')).status).toBe(400);
    expect((await api.get('/api/runs?status=bogus')).status).toBe(400);
  });

  it('prunes step payloads after the flow\'s retention period, keeping the run summary', async () => {
    const doc = { ...flow('short retention', [node('start', 'manual.trigger'), node('call', 'http.request', { url: `${ext.url}/pii` })], [edge('start', 'call')]), settings: { retentionDays: 1 } };
    const id = await createFlow(doc);
    const keep = await createFlow(flow('default retention', [node('start', 'manual.trigger'), node('call', 'http.request', { url: `${ext.url}/pii` })], [edge('start', 'call')]));
    const oldRun = await untilStatus(await testRun(id, { email: 'client@example.com' }), ['succeeded']);
    const keptRun = await untilStatus(await testRun(keep, { email: 'client@example.com' }), ['succeeded']);
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE runs SET finished_at = now() - interval '2 days' WHERE id = ANY($1)`, [[oldRun.id, keptRun.id]]);
      await db.query(`SELECT graphile_worker.add_job('prune_payloads', '{}'::json)`);
      await eventually(async () => (await db.query(`SELECT count(*)::int AS n FROM steps WHERE run_id = $1 AND pruned_at IS NOT NULL`, [oldRun.id])).rows[0].n === 2, 20_000, 'the prune job');
    } finally {
      await db.end();
    }
    const pruned = await getRun(oldRun.id);
    expect(pruned.status).toBe('succeeded');
    expect(pruned.steps.map((s) => s.output)).toEqual([null, null]);
    const kept = await getRun(keptRun.id);
    expect(step(kept, 'call')!.output).toMatchObject({ status: 200 });
  });

  it('gives an inline step a stopped worker left queued, with no job to take it over, a job of its own: it runs once', async () => {
    const id = await createFlow(
      flow('stranded', [node('start', 'manual.trigger'), node('a', 'http.request', { url: `${ext.url}/strand-a` }), node('b', 'http.request', { url: `${ext.url}/strand-b`, body: '{{ trigger }}' })], [
        edge('start', 'a'),
        edge('a', 'b'),
      ]),
    );
    const stranded = await untilStatus(await testRun(id, { n: 1 }), ['succeeded']);
    const fresh = await untilStatus(await testRun(id, { n: 2 }), ['succeeded']);
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      // The state a worker leaves when it dies right after committing `a` (with `b` created inline,
      // no job) and its own job is not taken over (it had used up its attempts). `fresh` is the same
      // but just now: its worker may still be on the way, so the sweep leaves it.
      const strand = async (runId: string, age: string) => {
        await db.query(`DELETE FROM steps WHERE run_id = $1 AND node_id = 'b'`, [runId]);
        await db.query(`INSERT INTO steps (run_id, node_id, node_type, status, max_attempts, inline, created_at) VALUES ($1, 'b', 'http.request', 'queued', 3, true, now() - $2::interval)`, [runId, age]);
        await db.query(`UPDATE runs SET status = 'running', finished_at = NULL WHERE id = $1`, [runId]);
      };
      await strand(stranded.id, '1 hour');
      await strand(fresh.id, '0 seconds');
      const calls = ext.to('/strand-b').length;
      await db.query(`SELECT graphile_worker.add_job('adopt_stranded_steps', '{}'::json)`);

      const done = await untilStatus(stranded.id, ['succeeded', 'failed']);
      expect(done.status).toBe('succeeded');
      expect(step(done, 'b')).toMatchObject({ status: 'succeeded', attempt: 1 });
      expect(ext.to('/strand-b').filter((r) => JSON.parse(r.body).n === 1)).toHaveLength(2); // the run before the strand, and this one
      expect(ext.to('/strand-b')).toHaveLength(calls + 1);
      const left = await db.query(`SELECT s.status, s.inline, r.status AS run FROM steps s JOIN runs r ON r.id = s.run_id WHERE s.run_id = $1 AND s.node_id = 'b'`, [fresh.id]);
      expect(left.rows).toEqual([{ status: 'queued', inline: true, run: 'running' }]);
    } finally {
      await db.end();
    }
  });
});
