import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

// Consecutive in-database steps of a chain commit in one transaction (StepExecutor.batch).
// Rows written by one transaction share its xmin: that is how these tests see a commit.
describe('in-database steps batched in one transaction', () => {
  let app: TestApp;
  let h: ReturnType<typeof flowHelpers>;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp();
    h = flowHelpers(await new HttpClient(app.url).login());
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  const stepsOf = async (runId: string) =>
    (await db.query(`SELECT node_id, status, attempt, error, xmin::text AS tx FROM steps WHERE run_id = $1 ORDER BY created_at`, [runId])).rows as Array<{
      node_id: string;
      status: string;
      attempt: number;
      error: string | null;
      tx: string;
    }>;

  it('commits a chain of pure and CRM steps once, with their effects', async () => {
    const flowId = await h.createFlow(
      flow(
        'batched',
        [
          node('start', 'manual.trigger'),
          node('check', 'branch', { condition: 'trigger.amount > 0' }, 260),
          node('won', 'crm.updateDeal', { email: '{{ trigger.email }}', stage: 'paid_won', amount: '{{ trigger.amount }}', currency: 'usd', product: 'Plan' }, 520),
          node('props', 'crm.updateContact', { email: '{{ trigger.email }}', properties: { plan: 'Plan' } }, 780),
          node('end', 'branch', { condition: 'steps.won.stage = "paid_won"' }, 1040),
        ],
        [edge('start', 'check'), edge('check', 'won', 'true'), edge('won', 'props'), edge('props', 'end')],
      ),
    );
    const runId = await h.testRun(flowId, { email: 'batch-one@example.com', amount: 4200 });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    const rows = await stepsOf(runId);
    expect(rows.map((r) => [r.node_id, r.status, r.attempt])).toEqual([
      ['start', 'succeeded', 1],
      ['check', 'succeeded', 1],
      ['won', 'succeeded', 1],
      ['props', 'succeeded', 1],
      ['end', 'succeeded', 1],
    ]);
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    const [deal] = (await db.query(`SELECT d.id, d.stage, d.amount, xmin::text AS tx FROM crm_deals d WHERE d.run_id = $1`, [runId])).rows;
    expect(deal).toMatchObject({ stage: 'paid_won', amount: '4200', tx: rows[0].tx });
  });

  it('records a failure in the middle of a batch where it happened: the steps before it commit once, the failed one is not run twice', async () => {
    const flowId = await h.createFlow(
      flow(
        'batch fails',
        [
          node('start', 'manual.trigger'),
          node('won', 'crm.updateDeal', { email: '{{ trigger.email }}', stage: 'paid_won', amount: '100', currency: 'usd', product: 'Plan' }, 260),
          node('bad', 'crm.updateDeal', { email: '{{ trigger.email }}', stage: "{{ 'no_such_stage' }}", product: 'Plan' }, 520),
          node('after', 'branch', { condition: 'true' }, 780),
        ],
        [edge('start', 'won'), edge('won', 'bad'), edge('bad', 'after')],
      ),
    );
    const runId = await h.testRun(flowId, { email: 'batch-two@example.com' });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('failed');
    const rows = await stepsOf(runId);
    expect(rows.map((r) => [r.node_id, r.status, r.attempt])).toEqual([
      ['start', 'succeeded', 1],
      ['won', 'succeeded', 1],
      ['bad', 'failed', 1],
    ]);
    expect(rows[2].error).toMatch(/no_such_stage/);
    // The batch rolled back; the steps before the failure were done again one per transaction.
    expect(rows[1].tx).not.toBe(rows[2].tx);
    const deals = (await db.query(`SELECT id FROM crm_deals WHERE run_id = $1`, [runId])).rows;
    expect(deals).toHaveLength(1);
    const changes = await db.query(`SELECT count(*)::int AS n FROM crm_deal_changes WHERE deal_id = $1`, [deals[0].id]);
    const history = await db.query(`SELECT count(*)::int AS n FROM deal_stage_history WHERE deal_id = $1`, [deals[0].id]);
    expect([changes.rows[0].n, history.rows[0].n]).toEqual([1, 1]);
  });

  it('runs every branch of a fan-out in the same job, and one failing branch leaves the others to finish', async () => {
    const flowId = await h.createFlow(
      flow(
        'fan-out',
        [
          node('start', 'manual.trigger'),
          node('bad', 'crm.updateDeal', { email: '{{ trigger.email }}', stage: "{{ 'no_such_stage' }}", product: 'Other' }, 260),
          node('good', 'crm.updateDeal', { email: '{{ trigger.email }}', stage: 'paid_won', amount: '100', currency: 'usd', product: 'Plan' }, 260),
          node('end', 'branch', { condition: 'steps.good.stage = "paid_won"' }, 520),
        ],
        [edge('start', 'bad'), edge('start', 'good'), edge('good', 'end')],
      ),
    );
    const runId = await h.testRun(flowId, { email: 'batch-three@example.com' });
    const run = await h.untilStatus(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('failed');
    const rows = await stepsOf(runId);
    expect(Object.fromEntries(rows.map((r) => [r.node_id, [r.status, r.attempt]]))).toEqual({
      start: ['succeeded', 1],
      bad: ['failed', 1],
      good: ['succeeded', 1],
      end: ['succeeded', 1],
    });
    // No step of this run had a job of its own but the trigger's.
    const inline = await db.query(`SELECT node_id FROM steps WHERE run_id = $1 AND inline ORDER BY node_id`, [runId]);
    expect(inline.rows.map((r) => r.node_id)).toEqual(['end', 'good']);
    expect((await db.query(`SELECT count(*)::int AS n FROM crm_deals WHERE run_id = $1`, [runId])).rows[0].n).toBe(1);
  });

  it('skips a repeat of an effect in a batch: the key is claimed as the step completes, and a key another run holds rolls the repeat back', async () => {
    const flowId = await h.createFlow(
      flow(
        'once per order',
        [
          node('start', 'manual.trigger'),
          node('won', 'crm.updateDeal', { email: '{{ trigger.email }}', stage: 'paid_won', amount: '{{ trigger.amount }}', currency: 'usd', product: 'Plan', idempotencyKey: 'order-{{ trigger.order }}' }, 260),
          node('after', 'branch', { condition: 'true' }, 520),
        ],
        [edge('start', 'won'), edge('won', 'after')],
      ),
    );
    const first = await h.untilStatus(await h.testRun(flowId, { email: 'batch-four@example.com', order: 'o-1', amount: 100 }), ['succeeded', 'failed']);
    const again = await h.untilStatus(await h.testRun(flowId, { email: 'batch-four@example.com', order: 'o-1', amount: 999 }), ['succeeded', 'failed']);
    expect([first.status, again.status]).toEqual(['succeeded', 'succeeded']);
    expect(h.step(again, 'won')).toMatchObject({ status: 'skipped', output: { skipped: true, earlierRunId: first.id } });
    expect(h.step(again, 'after')?.status).toBe('succeeded');
    const deals = (await db.query(`SELECT d.id, d.amount FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id WHERE c.email = 'batch-four@example.com'`)).rows;
    expect(deals).toEqual([{ id: expect.any(String), amount: '100' }]);
    const changes = await db.query(`SELECT count(*)::int AS n FROM crm_deal_changes WHERE deal_id = $1`, [deals[0].id]);
    expect(changes.rows[0].n).toBe(1);
    const keys = await db.query(`SELECT run_id FROM idempotency_keys WHERE flow_id = $1`, [flowId]);
    expect(keys.rows).toEqual([{ run_id: first.id }]);
  });
});
