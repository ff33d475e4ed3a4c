import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

// HANDOFF_INLINE_SLICE_MS=0 is offered as "a job per step": no step runs inline, and runs still
// go through their branches, effects and settling as with inline steps.
describe('HANDOFF_INLINE_SLICE_MS=0', () => {
  let app: TestApp;
  let h: ReturnType<typeof flowHelpers>;
  let db: Client;
  const ext = new FakeHttp();

  beforeAll(async () => {
    await ext.start();
    ext.respond((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    app = await startTestApp({ inlineSliceMs: 0 });
    h = flowHelpers(await new HttpClient(app.url).login());
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    await ext.stop();
  });

  it('gives every step a job of its own and finishes the run the same way', async () => {
    const flowId = await h.createFlow(
      flow(
        'one job per step',
        [
          node('start', 'manual.trigger'),
          node('check', 'branch', { condition: 'trigger.n > 1' }, 260),
          node('call', 'http.request', { url: `${ext.url}/call`, body: '{{ trigger }}' }, 520),
          node('done', 'branch', { condition: 'steps.check.value' }, 780),
        ],
        [edge('start', 'check'), edge('check', 'call', 'true'), edge('call', 'done')],
      ),
    );
    const runId = await h.testRun(flowId, { n: 2 });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    const { rows } = await db.query(`SELECT node_id, status, inline, attempt FROM steps WHERE run_id = $1 ORDER BY created_at`, [runId]);
    expect(rows.map((r) => [r.node_id, r.status, r.inline, r.attempt])).toEqual([
      ['start', 'succeeded', false, 1],
      ['check', 'succeeded', false, 1],
      ['call', 'succeeded', false, 1],
      ['done', 'succeeded', false, 1],
    ]);
    expect(ext.to('/call')).toHaveLength(1);
  });
});
