import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { signWebhook } from '../triggers/webhook-signature';

// Pure steps right after a step are run in memory and recorded by that step's completion
// (StepExecutor.foldPure). Rows written by one statement's transaction share its xmin: after a
// step that calls out (its own transaction), that is how these tests see the fold.
describe('pure steps folded into the step before them', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let db: Client;
  const ext = new FakeHttp();

  beforeAll(async () => {
    await ext.start();
    ext.respond((req, res) => {
      if (req.path === '/broken') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no such endpoint"}');
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

  it('records a stretch of branches after a call with the call: same commit, outputs and inputs as if each ran alone', async () => {
    const flowId = await h.createFlow(
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
    );
    const runId = await h.testRun(flowId, { email: 'fold-one@example.com', amount: 900 });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');

    const rows = await rowsOf(runId);
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
    const page = (await api.get<{ steps: Array<{ nodeId: string; input: unknown; output: unknown }> }>(`/api/runs/${runId}`)).body;
    const view = (id: string) => page.steps.find((s) => s.nodeId === id);
    expect(view('gold')).toMatchObject({ input: { status: 200, body: { tier: 'gold', seats: 12 } }, output: { value: true } });
    expect(view('big')).toMatchObject({ input: { value: true }, output: { value: true } });
    expect(view('paid')).toMatchObject({ input: { value: true }, output: { value: true } });
    const [contact] = (await db.query(`SELECT properties FROM crm_contacts WHERE email = 'fold-one@example.com'`)).rows;
    expect(contact.properties).toMatchObject({ tier: 'gold' });
  });

  it('stops at a fan-out and a join; every step runs once', async () => {
    const flowId = await h.createFlow(
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
    );
    const runId = await h.testRun(flowId, { amount: 5 });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    const rows = await rowsOf(runId);
    expect(rows.map((r) => r.node_id).sort()).toEqual(['a', 'join', 'left', 'right', 'start']);
    expect(rows.every((r) => r.status === 'succeeded' && r.attempt === 1)).toBe(true);
    expect(rows.find((r) => r.node_id === 'join')?.port).toBe('true');
  });

  it('records a branch that fails in a stretch as that step failing, after the ones before it', async () => {
    const flowId = await h.createFlow(
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
    );
    const runId = await h.testRun(flowId, { amount: 5 });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
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
});
