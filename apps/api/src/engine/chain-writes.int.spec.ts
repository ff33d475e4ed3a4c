import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { signWebhook } from '../triggers/webhook-signature';
import { RUNS_CHANNEL, type RunEvent } from './notify';
import { settleRun } from '../runs/store/run-store';

// Pure steps right after a step are run in memory and recorded by that step's completion
// (StepExecutor.foldPure). Rows written by one statement's transaction share its xmin: after a
// step that calls out (its own transaction), that is how these tests see the fold.
describe('what a chain of steps writes: pure steps folded into the step before them, the run row once', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let db: Client;
  const ext = new FakeHttp();
  // The /slow endpoint answers once the test lets it.
  const held: { promise: Promise<void>; release: () => void } = (() => {
    let release = () => {};
    const promise = new Promise<void>((r) => (release = r));
    return { promise, release: () => release() };
  })();

  beforeAll(async () => {
    await ext.start();
    ext.respond(async (req, res) => {
      if (req.path === '/broken') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no such endpoint"}');
      if (req.path === '/slow') await held.promise;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"tier":"gold","seats":12}');
    });
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await ext.stop();
  });

  const rowsOf = async (runId: string) =>
    (await db.query(`SELECT node_id, status, attempt, port, inline, xmin::text AS tx FROM steps WHERE run_id = $1 ORDER BY created_at`, [runId])).rows as Array<{
      node_id: string;
      status: string;
      attempt: number;
      port: string | null;
      inline: boolean;
      tx: string;
    }>;

  /** Creates the flow, test-runs it with `payload` and waits for the run to end. */
  const ran = async (doc: unknown, payload: Record<string, unknown> = {}) => h.untilStatus(await h.testRun(await h.createFlow(doc), payload), ['succeeded', 'failed']);

  it('records a stretch of branches after a call with the call: same commit, outputs and inputs as if each ran alone', async () => {
    const run = await ran(
      flow(
        'fold after a call',
        [
          node('start', 'manual.trigger'),
          node('lookup', 'http.request', { url: `${ext.url}/account` }, 260),
          node('gold', 'branch', { condition: "steps.lookup.body.tier = 'gold'" }, 520),
          node('big', 'branch', { condition: 'steps.lookup.body.seats > 10' }, 780),
          node('paid', 'branch', { condition: 'trigger.amount > 0 and steps.gold.value' }, 1040),
          node('props', 'crm.updateContact', { email: '{{ trigger.email }}', properties: { tier: '{{ steps.lookup.body.tier }}' } }, 1300),
        ],
        [edge('start', 'lookup'), edge('lookup', 'gold'), edge('gold', 'big', 'true'), edge('big', 'paid', 'true'), edge('paid', 'props', 'true')],
      ),
      { email: 'fold-one@example.com', amount: 900 },
    );
    expect(run.status).toBe('succeeded');

    const rows = await rowsOf(run.id);
    expect(rows.map((r) => [r.node_id, r.status, r.attempt, r.port])).toEqual([
      ['start', 'succeeded', 1, 'out'],
      ['lookup', 'succeeded', 1, 'out'],
      ['gold', 'succeeded', 1, 'true'],
      ['big', 'succeeded', 1, 'true'],
      ['paid', 'succeeded', 1, 'true'],
      ['props', 'succeeded', 1, 'out'],
    ]);
    const tx = (id: string) => rows.find((r) => r.node_id === id)?.tx;
    // The call committed on its own (its claim first, then its outcome); the three branches with that outcome.
    expect([tx('gold'), tx('big'), tx('paid')]).toEqual([tx('lookup'), tx('lookup'), tx('lookup')]);
    expect(rows.filter((r) => ['gold', 'big', 'paid'].includes(r.node_id)).every((r) => r.inline)).toBe(true);

    // The run page shows each folded step's input (the step before it) and output; the step after them used them.
    const page = (await api.get<{ steps: Array<{ nodeId: string; input: unknown; output: unknown }> }>(`/api/runs/${run.id}`)).body;
    const view = (id: string) => page.steps.find((s) => s.nodeId === id);
    expect(view('gold')).toMatchObject({ input: { status: 200, body: { tier: 'gold', seats: 12 } }, output: { value: true } });
    expect(view('big')).toMatchObject({ input: { value: true }, output: { value: true } });
    expect(view('paid')).toMatchObject({ input: { value: true }, output: { value: true } });
    const [contact] = (await db.query(`SELECT properties FROM crm_contacts WHERE email = 'fold-one@example.com'`)).rows;
    expect(contact.properties).toMatchObject({ tier: 'gold' });
  });

  it('stops at a fan-out and a join; every step runs once', async () => {
    const run = await ran(
      flow(
        'fold stops',
        [
          node('start', 'manual.trigger'),
          node('a', 'branch', { condition: 'trigger.amount > 0' }, 260),
          node('left', 'branch', { condition: 'true' }, 520),
          node('right', 'branch', { condition: 'false' }, 520),
          node('join', 'branch', { condition: '$exists(steps.left)' }, 780),
        ],
        [edge('start', 'a'), edge('a', 'left', 'true'), edge('a', 'right', 'true'), edge('left', 'join', 'true'), edge('right', 'join', 'false')],
      ),
      { amount: 5 },
    );
    expect(run.status).toBe('succeeded');
    const rows = await rowsOf(run.id);
    expect(rows.map((r) => r.node_id).sort()).toEqual(['a', 'join', 'left', 'right', 'start']);
    expect(rows.every((r) => r.status === 'succeeded' && r.attempt === 1)).toBe(true);
    expect(rows.find((r) => r.node_id === 'join')?.port).toBe('true');
  });

  it('records a branch that fails in a stretch as that step failing, after the ones before it', async () => {
    const run = await ran(
      flow(
        'fold fails',
        [
          node('start', 'manual.trigger'),
          node('ok', 'branch', { condition: 'trigger.amount > 0' }, 260),
          node('bad', 'branch', { condition: '$number("not a number") > 1' }, 520),
          node('after', 'branch', { condition: 'true' }, 780),
        ],
        [edge('start', 'ok'), edge('ok', 'bad', 'true'), edge('bad', 'after', 'true')],
      ),
      { amount: 5 },
    );
    expect(run.status).toBe('failed');
    expect(h.step(run, 'ok')).toMatchObject({ status: 'succeeded', port: 'true' });
    expect(h.step(run, 'bad')).toMatchObject({ status: 'failed', attempt: 1 });
    expect(h.step(run, 'bad')?.error).toMatch(/not a number|number/i);
    expect(h.step(run, 'after')).toBeUndefined();
  });

  it('does not fold a step that has a row already: a run retried on a version whose graph reaches a finished step again', async () => {
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'fold-retry', secret: 'whk_fold_retry_0123456789' });
    // v1: the call fails; "seen" (after the trigger) succeeds. v2: "seen" comes after the call.
    const v1 = flow(
      'fold retry',
      [node('order', 'webhook.trigger', { secret: { credential: cred.body.id } }), node('call', 'http.request', { url: `${ext.url}/broken` }, 260), node('seen', 'branch', { condition: 'true' }, 260)],
      [edge('order', 'call'), edge('order', 'seen')],
    );
    const flowId = await h.createFlow(v1);
    await h.publish(flowId);
    const body = JSON.stringify({ id: 'ord_fold' });
    const res = await fetch(`${app.url}/hooks/webhook/${flowId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-handoff-signature': signWebhook('whk_fold_retry_0123456789', body, Math.floor(Date.now() / 1000)) },
      body,
    });
    const { runId } = (await res.json()) as { runId: string };
    expect((await h.untilStatus(runId, ['failed', 'succeeded'])).status).toBe('failed');
    const [seenBefore] = (await db.query(`SELECT finished_at, attempt FROM steps WHERE run_id = $1 AND node_id = 'seen'`, [runId])).rows;
    expect(seenBefore.attempt).toBe(1);

    const v2 = flow(v1.name, [v1.nodes[0], node('call', 'http.request', { url: `${ext.url}/fixed` }, 260), v1.nodes[2]], [edge('order', 'call'), edge('call', 'seen')]);
    expect((await api.put(`/api/flows/${flowId}`, v2)).status).toBe(200);
    await h.publish(flowId);
    expect((await api.post(`/api/runs/${runId}/retry?version=latest`, {})).status).toBeLessThan(300);
    const run = await h.untilStatus(runId, ['failed', 'succeeded']);
    expect(run.status).toBe('succeeded');
    expect(h.step(run, 'call')).toMatchObject({ status: 'succeeded' });
    const [seenAfter] = (await db.query(`SELECT finished_at, attempt FROM steps WHERE run_id = $1 AND node_id = 'seen'`, [runId])).rows;
    expect(seenAfter).toEqual(seenBefore);
  });

  it("writes a run's status once when it starts and ends in one batch (a fan-out too), and marks it running after a batch that leaves it unfinished", async () => {
    const listener = new Client({ connectionString: app.databaseUrl });
    await listener.connect();
    const statuses = new Map<string, string[]>();
    listener.on('notification', (n) => {
      const payload = JSON.parse(n.payload ?? '[]') as RunEvent | RunEvent[];
      for (const e of Array.isArray(payload) ? payload : [payload]) if (e.runStatus && e.runStatus !== 'queued') statuses.set(e.runId, [...(statuses.get(e.runId) ?? []), e.runStatus]);
    });
    await listener.query(`LISTEN ${RUNS_CHANNEL}`);
    try {
      const one = await ran(flow('one batch, one write', [node('start', 'manual.trigger'), node('props', 'crm.updateContact', { email: 'once@example.com', properties: { a: '1' } }, 260)], [edge('start', 'props')]));
      // Longer than a batch (16 steps): the first batch commits a run still going.
      const ids = Array.from({ length: 18 }, (_, i) => `p${i}`);
      const two = await ran(
        flow(
          'two batches',
          [node('start', 'manual.trigger'), ...ids.map((id, i) => node(id, 'crm.updateContact', { email: 'twice@example.com', properties: { step: String(i) } }, 260 * (i + 1)))],
          ids.map((id, i) => edge(i ? ids[i - 1] : 'start', id)),
        ),
      );
      // A fan-out of three in one batch: the branches that end while the batch still holds the others do not settle the run; the last one does.
      const three = await ran(
        flow('fan-out', [node('start', 'manual.trigger'), ...['x', 'y', 'z'].map((id, i) => node(id, 'crm.updateContact', { email: `fan-${id}@example.com`, properties: { n: String(i) } }, 260))], ['x', 'y', 'z'].map((id) => edge('start', id))),
      );
      // A fan-out whose first branch waits for a review and whose second ends: the run waits.
      const held = await h.untilStatus(
        await h.testRun(
          await h.createFlow(
            flow(
              'fan-out with a review',
              [node('start', 'manual.trigger'), node('hold', 'review', { owner: 'finance@example.com', reason: 'check it' }, 260), node('note', 'crm.updateContact', { email: 'fan-held@example.com', properties: { n: '1' } }, 260)],
              [edge('start', 'hold'), edge('start', 'note')],
            ),
          ),
          {},
        ),
        ['waiting'],
      );
      expect([one.status, two.status, three.status, held.status]).toEqual(['succeeded', 'succeeded', 'succeeded', 'waiting']);
      // The last commit's notifications may still be on their way.
      await eventually(async () => [one, two, three].every((r) => statuses.get(r.id)?.includes('succeeded')) && Boolean(statuses.get(held.id)), 5000, 'the runs channel to announce the four runs');
      expect(statuses.get(one.id)).toEqual(['succeeded']);
      expect(statuses.get(two.id)).toEqual(['running', 'succeeded']);
      expect(statuses.get(three.id)).toEqual(['succeeded']);
      expect(statuses.get(held.id)).toEqual(['waiting']);
    } finally {
      await listener.end();
    }
  });

  it('marks the run running once its first steps commit, while a call is in flight, and records when it started and ended', async () => {
    const runRow = async (id: string) => (await db.query(`SELECT status, started_at, finished_at FROM runs WHERE id = $1`, [id])).rows[0];
    const quick = await ran(flow('one batch', [node('start', 'manual.trigger'), node('check', 'branch', { condition: 'true' }, 260)], [edge('start', 'check')]));
    expect(quick.status).toBe('succeeded');
    const q = await runRow(quick.id);
    expect(q.started_at).not.toBeNull();
    expect(q.finished_at.getTime()).toBeGreaterThanOrEqual(q.started_at.getTime());

    const withCall = await h.createFlow(
      flow('call in flight', [node('start', 'manual.trigger'), node('check', 'branch', { condition: 'true' }, 260), node('call', 'http.request', { url: `${ext.url}/slow` }, 520)], [edge('start', 'check'), edge('check', 'call', 'true')]),
    );
    const runId = await h.testRun(withCall);
    const during = await h.untilStatus(runId, ['running', 'succeeded', 'failed']);
    expect(during.status).toBe('running');
    expect(h.step(during, 'check')).toMatchObject({ status: 'succeeded' });
    expect((await runRow(runId)).started_at).not.toBeNull();
    held.release();
    const after = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(after.status).toBe('succeeded');
  });

  it("deletes the run's job in the commit that ends the run, before graphile-worker's completion", async () => {
    // Which transaction deleted each run_step job, by run: recorded by a trigger on the job table of this test's database.
    await db.query(`CREATE TABLE job_deletes (run_id text, xid bigint)`);
    await db.query(`CREATE FUNCTION note_job_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO job_deletes VALUES (OLD.payload->>'runId', pg_current_xact_id()::text::bigint); RETURN OLD; END $$`);
    await db.query(`CREATE TRIGGER note_job_delete AFTER DELETE ON graphile_worker._private_jobs FOR EACH ROW EXECUTE FUNCTION note_job_delete()`);
    try {
      // One batch; and a run whose last step calls out, so its own transaction ends the run.
      const batch = await ran(flow('job ends with the run', [node('start', 'manual.trigger'), node('props', 'crm.updateContact', { email: 'job@example.com', properties: { a: '1' } }, 260)], [edge('start', 'props')]));
      const call = await ran(flow('job ends with a call', [node('start', 'manual.trigger'), node('lookup', 'http.request', { url: `${ext.url}/account` }, 260)], [edge('start', 'lookup')]));
      expect([batch.status, call.status]).toEqual(['succeeded', 'succeeded']);
      for (const run of [batch, call]) {
        const { rows } = await db.query(`SELECT d.xid, r.xmin::text::bigint AS ended FROM job_deletes d JOIN runs r ON r.id::text = d.run_id WHERE d.run_id = $1`, [run.id]);
        expect(rows).toHaveLength(1);
        expect(rows[0].xid).toBe(rows[0].ended);
      }
    } finally {
      await db.query(`DROP TRIGGER note_job_delete ON graphile_worker._private_jobs`);
      await db.query(`DROP FUNCTION note_job_delete(); DROP TABLE job_deletes`);
    }
  });

  it('settles a run that is still running, as its row says, without writing the row again', async () => {
    const flowId = await h.createFlow(flow('settle', [node('start', 'manual.trigger'), node('props', 'crm.updateContact', { email: 'settle@example.com', properties: { a: '1' } }, 260)], [edge('start', 'props')]));
    const run = await h.untilStatus(await h.testRun(flowId), ['succeeded', 'failed']);
    const ds = await new DataSource({ type: 'postgres', url: app.databaseUrl }).initialize();
    const tx = ds.createQueryRunner();
    const m = tx.manager;
    const version = async () => ((await m.query(`SELECT ctid::text AS at FROM runs WHERE id = $1`, [run.id])) as Array<{ at: string }>)[0].at;
    await tx.startTransaction();
    try {
      // As if its last step were still open: the run is running.
      await m.query(`UPDATE steps SET status = 'queued' WHERE run_id = $1 AND node_id = 'props'`, [run.id]);
      expect(await settleRun(m, { id: run.id, flow_id: flowId })).toBe('running');
      const first = await version();
      expect(await settleRun(m, { id: run.id, flow_id: flowId })).toBe('running');
      expect(await version()).toBe(first);
      // A failure's message is written even while other steps go on.
      expect(await settleRun(m, { id: run.id, flow_id: flowId }, { error: 'props: broke' })).toBe('running');
      expect(await version()).not.toBe(first);
    } finally {
      await tx.rollbackTransaction();
      await tx.release();
      await ds.destroy();
    }
  });
});
