import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { evaluateExpression, isTruthy } from '@handoff/nodes';
import { addJob, JobPayloads } from './queue';

interface WaitRow {
  step_id: string;
  run_id: string;
  node_id: string;
  match: string | null;
  trigger: Record<string, unknown>;
}

/**
 * The `match_event` job: wakes the `wait.event` steps of a flow that a received Stripe event
 * satisfies. Runs in the worker, so JSONata never slows the webhook's answer. Each wake locks
 * the step and claims its wait row, so a retry of this job, a second event or the timeout
 * firing at the same moment cannot wake a step twice.
 */
@Injectable()
export class EventMatcher {
  private readonly logger = new Logger('EventMatcher');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Returns how many waiting steps the event woke. */
  async match(job: JobPayloads['match_event']): Promise<number> {
    const [row]: Array<{ type: string; payload: Record<string, unknown> }> = await this.db.query(
      `SELECT type, payload FROM trigger_events WHERE id = $1 AND flow_id = $2`,
      [job.eventRowId, job.flowId],
    );
    if (!row) return 0;
    const waits: WaitRow[] = await this.db.query(
      `SELECT w.step_id, w.run_id, s.node_id, w.match, r.trigger
       FROM event_waits w JOIN steps s ON s.id = w.step_id JOIN runs r ON r.id = w.run_id
       WHERE w.flow_id = $1 AND $2 = ANY (w.types) AND s.status = 'waiting'
       ORDER BY w.created_at`,
      [job.flowId, row.type],
    );
    let woke = 0;
    for (const wait of waits) {
      if (!(await this.matches(wait, row.payload))) continue;
      if (await this.db.transaction((m) => this.wake(m, wait, row.payload))) woke++;
    }
    return woke;
  }

  private async matches(wait: WaitRow, event: Record<string, unknown>): Promise<boolean> {
    if (!wait.match?.trim()) return true;
    const rows: Array<{ node_id: string; output: unknown }> = await this.db.query(
      `SELECT node_id, output FROM steps WHERE run_id = $1 AND status IN ('succeeded','skipped','waiting')`,
      [wait.run_id],
    );
    const steps = Object.fromEntries(rows.map((r) => [r.node_id, r.output]));
    try {
      return isTruthy(await evaluateExpression(wait.match, { event, trigger: wait.trigger, steps }));
    } catch (err) {
      // A broken match expression is the flow author's problem: that wait just does not match.
      this.logger.warn({ runId: wait.run_id, nodeId: wait.node_id, err: (err as Error).message }, 'wait.event match failed');
      return false;
    }
  }

  private async wake(m: EntityManager, wait: WaitRow, event: Record<string, unknown>): Promise<boolean> {
    const [step]: Array<{ status: string }> = await m.query(`SELECT status FROM steps WHERE id = $1 FOR UPDATE`, [wait.step_id]);
    if (step?.status !== 'waiting') return false;
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare DELETE ... RETURNING.
    const claimed = await m.query(`WITH d AS (DELETE FROM event_waits WHERE step_id = $1 RETURNING step_id) SELECT step_id FROM d`, [wait.step_id]);
    if (!claimed.length) return false;
    // The engine reads a captured `output.event` as the event resume.
    await m.query(`UPDATE steps SET output = jsonb_build_object('event', $2::jsonb) WHERE id = $1`, [wait.step_id, JSON.stringify(event)]);
    await addJob(m, 'run_step', { runId: wait.run_id, nodeId: wait.node_id, resume: 'event' }, { maxAttempts: 3 });
    return true;
  }
}
