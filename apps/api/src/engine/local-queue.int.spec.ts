import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { signWebhook } from '../triggers/webhook-signature';

const SECRET = 'whk_local_queue_0123456789abcdef0123';
// Longer than the sweep's 5 s margin plus its 1 s interval, so a waiting job is always past the margin at a sweep.
const CALL_MS = 7_000;

/**
 * graphile-worker's local queue fetches and locks more jobs than the pool has free slots. While
 * every slot is busy with a long step, the others wait there, locked by this pool but not
 * started, for longer than the lost-job sweep's margin (5 s): they are not lost, and must not be
 * handed out again (a probe saw steps run a second attempt and runs wait a minute behind slow
 * expressions).
 */
describe('jobs waiting in the local queue behind long steps', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;
  let h: ReturnType<typeof flowHelpers>;
  const ext = new FakeHttp();

  beforeAll(async () => {
    await ext.start();
    ext.respond((_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), CALL_MS));
    // One slot (a local queue of two), and the sweep every second.
    app = await startTestApp({ workerConcurrency: 1, heartbeatSeconds: 1 });
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

  it('stay locked to their pool (not released as lost), and each runs once, at attempt 1', async () => {
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'slow', secret: SECRET });
    const flowId = await h.createFlow(
      flow('Slow calls', [node('order', 'webhook.trigger', { secret: { credential: cred.body.id }, idField: 'id' }), node('call', 'http.request', { method: 'GET', url: `${ext.url}/slow` }, 260)], [edge('order', 'call')]),
    );
    await h.publish(flowId);
    // A job unlocked while it waits could be fetched by any other worker too: record every unlock (none fail here).
    await db.query(`CREATE TABLE job_unlocks (job_id bigint NOT NULL)`);
    await db.query(`CREATE FUNCTION record_unlock() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.job_unlocks VALUES (NEW.id); RETURN NEW; END $$`);
    await db.query(
      `CREATE TRIGGER record_unlock AFTER UPDATE OF locked_by ON graphile_worker._private_jobs FOR EACH ROW WHEN (OLD.locked_by IS NOT NULL AND NEW.locked_by IS NULL) EXECUTE FUNCTION record_unlock()`,
    );
    // Held while paused, then released together: one fetch takes two of the three jobs.
    expect((await api.post(`/api/flows/${flowId}/pause`)).status).toBeLessThan(300);
    for (const id of ['a', 'b', 'c']) {
      const raw = JSON.stringify({ id });
      const res = await fetch(`${app.url}/hooks/webhook/${flowId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(SECRET, raw, Math.floor(Date.now() / 1000)) }, body: raw });
      expect(res.status).toBe(200);
    }
    expect((await api.post(`/api/flows/${flowId}/resume`)).status).toBeLessThan(300);

    const runs = await eventually(async () => {
      const { rows } = await db.query<{ id: string; status: string }>(`SELECT id, status FROM runs WHERE flow_id = $1`, [flowId]);
      return rows.length === 3 && rows.every((r) => r.status === 'succeeded') ? rows : undefined;
    }, 4 * CALL_MS + 15_000, 'the three runs to succeed');
    expect(ext.to('/slow')).toHaveLength(3);
    const attempts = (await db.query<{ node_id: string; attempt: number }>(`SELECT node_id, attempt FROM steps WHERE run_id = ANY($1)`, [runs.map((r) => r.id)])).rows;
    expect(attempts.filter((s) => s.attempt !== 1)).toEqual([]);
    expect(attempts).toHaveLength(6);
    expect((await db.query(`SELECT job_id FROM job_unlocks`)).rows).toEqual([]);
  }, 60_000);
});
