import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { AppProcess, assertBuilt, startProcess } from '../../test/processes';
import { TriggersService } from './triggers.service';

const TICK_MS = 2000;

/**
 * A `*\/2 * * * * *` schedule with two worker processes (the api process of this test runs no
 * worker): each tick starts exactly one run, none while paused, and the tick missed while
 * paused runs once on resume.
 */
describe('schedule.trigger across two worker processes', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;
  let flowId: string;
  const workers: AppProcess[] = [];

  const ticks = async () =>
    (await db.query<{ scheduled_for: string; runs: number; status: string }>(
      `SELECT r.trigger ->> 'scheduledFor' AS scheduled_for, count(*)::int AS runs, min(r.status) AS status
       FROM runs r WHERE r.flow_id = $1 GROUP BY 1 ORDER BY 1`,
      [flowId],
    )).rows;

  beforeAll(async () => {
    assertBuilt();
    app = await startTestApp({ role: 'api' });
    api = await new HttpClient(app.url).login();
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    for (const name of ['worker-a', 'worker-b']) workers.push(await startProcess(name, { databaseUrl: app.databaseUrl, secretKey: app.secretKey, role: 'worker' }));
    const h = flowHelpers(api);
    flowId = await h.createFlow(
      flow('Every two seconds', [node('tick', 'schedule.trigger', { cron: '*/2 * * * * *', timezone: 'Europe/Berlin' }), node('check', 'branch', { condition: 'trigger.scheduledFor != null' }, 260)], [edge('tick', 'check')]),
    );
    await h.publish(flowId);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await db?.end();
    await app?.close();
  });

  it('starts exactly one run per tick, none while paused, and the missed tick once on resume', async () => {
    const running = await eventually(async () => {
      const t = await ticks();
      return t.length >= 6 ? t : undefined;
    }, 30_000, 'six ticks');
    for (const t of running) expect(t.runs, t.scheduled_for).toBe(1);
    const times = running.map((t) => Date.parse(t.scheduled_for));
    // Consecutive ticks, none skipped: 2 s apart after the first.
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(TICK_MS);
    await eventually(async () => ((await ticks()).every((t) => t.status === 'succeeded') ? true : undefined), 20_000, 'runs to finish');

    expect((await api.post(`/api/flows/${flowId}/pause`, {})).status).toBe(200);
    const atPause = await ticks();
    const pausedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3 * TICK_MS + 500));
    expect(await ticks()).toEqual(atPause);

    expect((await api.post(`/api/flows/${flowId}/resume`, {})).status).toBe(200);
    const resumedAt = Date.now();
    const after = await eventually(async () => {
      const t = await ticks();
      return t.length >= atPause.length + 3 ? t : undefined;
    }, 20_000, 'ticks after resume');
    for (const t of after) expect(t.runs, t.scheduled_for).toBe(1);
    const lastBefore = Date.parse(atPause.at(-1)!.scheduled_for);
    const fresh = after.map((t) => Date.parse(t.scheduled_for)).filter((t) => t > lastBefore);
    // Of the ticks that passed while paused, only the latest ran (once, late); then the schedule goes on.
    // (The catch-up job runs right after the resume commits, so its tick is at most a moment after resumedAt.)
    const missed = fresh.filter((t) => t <= resumedAt + 200);
    expect(missed).toHaveLength(1);
    expect(missed[0]).toBeGreaterThan(pausedAt);
    for (let i = 1; i < fresh.length; i++) if (fresh[i - 1] > resumedAt + 200) expect(fresh[i] - fresh[i - 1]).toBe(TICK_MS);

    // Deleting the flow stops the schedule: its job is gone.
    expect((await api.delete(`/api/flows/${flowId}`)).status).toBe(204);
    const jobs = await db.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [`schedule:${flowId}`]);
    expect(jobs.rows[0].n).toBe(0);
  }, 90_000);

  it('activates again, within a minute, a schedule whose job was lost or whose trigger row is missing', async () => {
    // The workers' own minutely reconcile would race the calls below: this test makes them itself.
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
    const h = flowHelpers(api);
    const yearly = await h.createFlow(flow('New year', [node('tick', 'schedule.trigger', { cron: '0 0 1 1 *', timezone: 'UTC' })], []));
    await h.publish(yearly);
    const job = async () => (await db.query<{ run_at: Date }>(`SELECT run_at FROM graphile_worker.jobs WHERE key = $1`, [`schedule:${yearly}`])).rows[0];
    const planned = await job();
    expect(planned.run_at.toISOString()).toMatch(/-01-01T00:00:00.000Z$/);
    const triggers = app.handoff.app.get(TriggersService);

    await db.query(`SELECT graphile_worker.remove_job($1)`, [`schedule:${yearly}`]);
    expect(await job()).toBeUndefined();
    expect(await triggers.reconcile()).toEqual([yearly]);
    expect((await job()).run_at).toEqual(planned.run_at);

    // A flow published before triggers had rows of their own (an upgrade) gets one, and its job.
    await db.query(`DELETE FROM flow_triggers WHERE flow_id = $1`, [yearly]);
    await db.query(`SELECT graphile_worker.remove_job($1)`, [`schedule:${yearly}`]);
    expect(await triggers.reconcile()).toEqual([yearly]);
    expect((await db.query(`SELECT type FROM flow_triggers WHERE flow_id = $1`, [yearly])).rows).toEqual([{ type: 'schedule.trigger' }]);
    expect(await job()).toBeDefined();
    // Nothing left to fix: a healthy schedule is left alone.
    expect(await triggers.reconcile()).toEqual([]);
  });
});
