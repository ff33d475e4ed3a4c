import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { AppProcess, assertBuilt, startProcess } from '../../test/processes';
import { openStream } from '../../test/sse';

/** A real worker process (`HANDOFF_ROLE=worker`) on the test database, as in production, declaring a silent peer dead after 3 s. */
const startWorker = (app: TestApp, name: string) =>
  startProcess(name, { databaseUrl: app.databaseUrl, secretKey: app.secretKey, role: 'worker', env: { HANDOFF_HEARTBEAT_SECONDS: '1', HANDOFF_WORKER_STALE_SECONDS: '3' } });

describe('worker processes', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;
  const ext = new FakeHttp();
  const children: AppProcess[] = [];

  beforeAll(async () => {
    assertBuilt();
    await ext.start();
    // The API process of this test runs no worker: all steps run in the child processes.
    app = await startTestApp({ role: 'api' });
    api = await new HttpClient(app.url).login();
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop('SIGKILL')));
    await db?.end();
    await app?.close();
    await ext.stop();
  });

  async function createFlow(slowPath: string): Promise<string> {
    const doc = {
      schema: 'handoff.flow/1',
      name: `failover ${slowPath}`,
      nodes: [
        node('start', 'manual.trigger'),
        node('tell', 'notify', { channel: 'email', to: 'sales@example.com', text: 'Paid: {{ trigger.n }}' }),
        node('slow', 'http.request', { url: `${ext.url}${slowPath}`, body: '{{ trigger }}' }),
        node('after', 'http.request', { url: `${ext.url}/after`, body: '{{ trigger }}' }),
      ],
      edges: [edge('start', 'tell'), edge('tell', 'slow'), edge('slow', 'after')],
    };
    const res = await api.post<{ id: string }>('/api/flows', doc);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** The fake answers every call at once, except the first to `path`, which it holds until the worker making it is killed. */
  function hangOnce(path: string): void {
    let hang = true;
    ext.respond(async (req, res) => {
      if (req.path === path && hang) {
        hang = false;
        await new Promise((r) => setTimeout(r, 30_000));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, at: req.path }));
    });
  }

  const runStatus = async (id: string) => (await db.query(`SELECT status FROM runs WHERE id = $1`, [id])).rows[0]?.status as string;

  it('a worker SIGKILLed mid-step loses nothing: another worker takes the job over and no internal effect repeats', async () => {
    hangOnce('/slow');
    const flowId = await createFlow('/slow');
    const w1 = await startWorker(app, 'w1');
    children.push(w1);
    const { body } = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 1 } });
    const runId = body.runId;

    await eventually(async () => ext.to('/slow').length === 1, 30_000, 'the slow call to start in worker 1');
    await w1.stop('SIGKILL');

    const w2 = await startWorker(app, 'w2');
    children.push(w2);
    await eventually(async () => (await runStatus(runId)) === 'succeeded', 45_000, 'worker 2 to finish the run');

    const steps = await db.query(`SELECT node_id, status, attempt FROM steps WHERE run_id = $1 ORDER BY created_at`, [runId]);
    expect(steps.rows.map((s) => [s.node_id, s.status])).toEqual([
      ['start', 'succeeded'],
      ['tell', 'succeeded'],
      ['slow', 'succeeded'],
      ['after', 'succeeded'],
    ]);
    // A step with effects commits its claim before its work: the killed attempt counts.
    expect(steps.rows.find((s) => s.node_id === 'slow').attempt).toBe(2);
    expect(steps.rows.find((s) => s.node_id === 'tell').attempt).toBe(1);
    const outbox = await db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE run_id = $1`, [runId]);
    expect(outbox.rows[0].n).toBe(1);
    // The external call was made twice (at-least-once) with one Idempotency-Key for the remote to dedupe.
    expect(ext.to('/slow')).toHaveLength(2);
    expect(new Set(ext.to('/slow').map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(ext.to('/after').filter((r) => JSON.parse(r.body).n === 1)).toHaveLength(1);
  }, 120_000);

  it('a worker SIGKILLed in the middle of an inline chain: the chain goes on in another worker, steps before the kill are not repeated', async () => {
    hangOnce('/chain/s4');
    const hops = ['s1', 's2', 's3', 's4', 's5'];
    const doc = {
      schema: 'handoff.flow/1',
      name: 'inline chain',
      nodes: [node('start', 'manual.trigger'), ...hops.map((h) => node(h, 'http.request', { url: `${ext.url}/chain/${h}`, body: '{{ trigger }}' }))],
      edges: hops.map((h, i) => edge(i === 0 ? 'start' : hops[i - 1], h)),
    };
    const flowId = (await api.post<{ id: string }>('/api/flows', doc)).body.id;
    // Only w7 may take the run: the workers of the test before stop first.
    await Promise.all(children.splice(0).map((c) => c.stop('SIGTERM')));
    const w7 = await startWorker(app, 'w7');
    children.push(w7);
    const { body } = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 42 } });
    await eventually(async () => ext.to('/chain/s4').length === 1, 30_000, 'the chain to reach s4 in w7');
    // Before the kill: s1-s3 done in one job (inline, no job of their own), s4's claim committed (an effect).
    const before = await db.query(`SELECT node_id, status, inline FROM steps WHERE run_id = $1 ORDER BY created_at`, [body.runId]);
    expect(before.rows.map((r) => [r.node_id, r.status, r.inline])).toEqual([
      ['start', 'succeeded', false],
      ['s1', 'succeeded', true],
      ['s2', 'succeeded', true],
      ['s3', 'succeeded', true],
      ['s4', 'running', true],
    ]);
    const jobs = await db.query(
      `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE t.identifier = 'run_step' AND j.payload->>'runId' = $1`,
      [body.runId],
    );
    expect(jobs.rows[0].n).toBe(1); // only the trigger step's job, still held by w7
    await w7.stop('SIGKILL');

    const w8 = await startWorker(app, 'w8');
    children.push(w8);
    await eventually(async () => (await runStatus(body.runId)) === 'succeeded', 45_000, 'w8 to take the chain over and finish the run');
    for (const h of ['s1', 's2', 's3', 's5']) expect(ext.to(`/chain/${h}`).filter((r) => JSON.parse(r.body).n === 42), h).toHaveLength(1);
    // The step in flight at the kill runs again, with the same Idempotency-Key for the remote to dedupe.
    expect(ext.to('/chain/s4')).toHaveLength(2);
    expect(new Set(ext.to('/chain/s4').map((r) => r.headers['idempotency-key'])).size).toBe(1);
    const after = await db.query(`SELECT node_id, status, attempt FROM steps WHERE run_id = $1 ORDER BY created_at`, [body.runId]);
    expect(after.rows.map((r) => [r.node_id, r.status, r.attempt])).toEqual([['start', 'succeeded', 1], ...hops.map((h) => [h, 'succeeded', h === 's4' ? 2 : 1])]);
    await Promise.all(children.splice(0).map((c) => c.stop('SIGTERM')));
  }, 120_000);

  it('after kill -9 of a worker and a restart on the same machine, its runs go on within seconds, not after the stale threshold', async () => {
    hangOnce('/restart');
    const flowId = await createFlow('/restart');
    // The default 30 s stale threshold: only knowing the old process is gone can release its jobs sooner.
    const patient = (name: string) => startProcess(name, { databaseUrl: app.databaseUrl, secretKey: app.secretKey, role: 'worker', env: { HANDOFF_HEARTBEAT_SECONDS: '1' } });
    const w5 = await patient('w5');
    children.push(w5);
    const { body } = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 7 } });
    await eventually(async () => ext.to('/restart').length === 1, 30_000, 'the slow call to start in w5');
    await w5.stop('SIGKILL');
    const restarted = Date.now();
    const w6 = await patient('w6');
    children.push(w6);
    await eventually(async () => (await runStatus(body.runId)) === 'succeeded', 25_000, 'the restarted worker to finish the run');
    expect(Date.now() - restarted).toBeLessThan(20_000);
  }, 120_000);

  it('jobs a SIGKILLed worker had locked into its local queue, not yet started, are taken over by another worker', async () => {
    hangOnce('/queued');
    const flowId = await createFlow('/queued');
    // One slot, so a local queue of 2: the pool locks a second job while its slot is busy.
    const w7 = await startProcess('w7', {
      databaseUrl: app.databaseUrl,
      secretKey: app.secretKey,
      role: 'worker',
      env: { HANDOFF_HEARTBEAT_SECONDS: '1', HANDOFF_WORKER_STALE_SECONDS: '3', HANDOFF_WORKER_CONCURRENCY: '1' },
    });
    children.push(w7);
    const first = (await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 8 } })).body.runId;
    await eventually(async () => ext.to('/queued').length === 1, 30_000, 'the slow call to start in w7');
    const more: string[] = [];
    for (const n of [9, 10, 11]) more.push((await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n } })).body.runId);
    // w7's one slot is busy with the first run's job: a second locked job sits in its local queue.
    const locked = async () => Number((await db.query(`SELECT count(*) AS n FROM graphile_worker.jobs WHERE locked_by IS NOT NULL`)).rows[0].n);
    await eventually(async () => (await locked()) >= 2, 15_000, 'w7 to lock a queued job it cannot start yet');
    await w7.stop('SIGKILL');

    const w8 = await startWorker(app, 'w8');
    children.push(w8);
    for (const id of [first, ...more]) await eventually(async () => (await runStatus(id)) === 'succeeded', 45_000, `worker w8 to finish run ${id}`);
    const tells = await db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE run_id = ANY($1)`, [[first, ...more]]);
    expect(tells.rows[0].n).toBe(4);
    await Promise.all(children.splice(0).map((c) => c.stop('SIGTERM')));
  }, 120_000);

  it('a worker stopped with SIGTERM mid-step finishes the step before it exits: the call is made once', async () => {
    // The slow call is answered 2 s after it arrives; the worker is told to stop meanwhile.
    ext.respond(async (req, res) => {
      if (req.path === '/draining') await new Promise((r) => setTimeout(r, 2_000));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const flowId = await createFlow('/draining');
    const w9 = await startWorker(app, 'w9');
    children.push(w9);
    const { body } = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 9 } });
    await eventually(async () => ext.to('/draining').length === 1, 30_000, 'the slow call to start in w9');
    await w9.stop('SIGTERM');
    expect(w9.child.exitCode, w9.output().slice(-3000)).toBe(0);
    const slow = await db.query(`SELECT status, attempt FROM steps WHERE run_id = $1 AND node_id = 'slow'`, [body.runId]);
    expect(slow.rows).toEqual([{ status: 'succeeded', attempt: 1 }]);

    const w10 = await startWorker(app, 'w10');
    children.push(w10);
    await eventually(async () => (await runStatus(body.runId)) === 'succeeded', 30_000, 'the run to succeed');
    expect(ext.to('/draining')).toHaveLength(1);
    await Promise.all(children.splice(0).map((c) => c.stop('SIGTERM')));
  }, 120_000);

  it('a process stopped with SIGTERM while browsers watch its live streams ends them and exits', async () => {
    const p = await startProcess('watched', { databaseUrl: app.databaseUrl, secretKey: app.secretKey, role: 'all' });
    children.push(p);
    const viewer = await new HttpClient(p.url).login();
    const streams = await Promise.all(['/api/runs/stream', '/api/stream', '/api/crm/stream'].map((path) => openStream(`${p.url}${path}`, viewer.cookie!)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const started = Date.now();
    await p.stop('SIGTERM');
    expect(p.child.exitCode, p.output().slice(-3000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // And every stream is closed, without the client aborting it.
    await Promise.all(streams.map((s) => s.ended));
  }, 60_000);

  it('two worker processes on one database never run the same step twice', async () => {
    ext.respond((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    children.push(...(await Promise.all([startWorker(app, 'w3'), startWorker(app, 'w4')])));
    const flowId = await createFlow('/fast');
    const runIds: string[] = [];
    for (let i = 100; i < 120; i++) runIds.push((await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: i } })).body.runId);
    await eventually(
      async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status = 'succeeded'`, [runIds]);
        return rows[0].n === runIds.length;
      },
      60_000,
      'all runs to succeed',
    );
    const repeated = await db.query(`SELECT count(*)::int AS n FROM steps WHERE run_id = ANY($1) AND attempt <> 1`, [runIds]);
    expect(repeated.rows[0].n).toBe(0);
    const perRun = await db.query(`SELECT run_id, count(*)::int AS n FROM outbox_messages WHERE run_id = ANY($1) GROUP BY run_id`, [runIds]);
    expect(perRun.rows).toHaveLength(runIds.length);
    expect(perRun.rows.every((r) => r.n === 1)).toBe(true);
    const calls = ext.to('/after').map((r) => JSON.parse(r.body).n).filter((n: number) => n >= 100);
    expect(calls.sort()).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
  }, 120_000);

  it('streams a run\'s steps over SSE from the api process while a separate worker process runs them', async () => {
    const flowId = await createFlow('/streamed');
    const stream = await openStream<{ runId: string; nodeId?: string; stepStatus?: string; runStatus?: string }>(`${app.url}/api/runs/stream?flowId=${flowId}`, api.cookie!);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/text\/event-stream/);
    const seen = stream.seen;
    // The first step can finish within milliseconds: start the run once the stream is known to miss nothing.
    await eventually(async () => stream.named.includes('ready'), 10_000, 'the stream to say it is ready');
    const { body } = await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 500 } });
    await eventually(async () => seen.some((e) => e.runId === body.runId && e.runStatus === 'succeeded'), 30_000, 'the succeeded event on the stream');
    await stream.stop();
    const steps = seen.filter((e) => e.runId === body.runId && e.stepStatus === 'succeeded').map((e) => e.nodeId);
    expect(steps).toEqual(['start', 'tell', 'slow', 'after']);
  }, 60_000);
});
