import type { EntityManager } from 'typeorm';
import type { FlowDocument, NodeResult } from '@handoff/nodes';
import { addJob, jobDelete, removeJob, timerKey } from '../../engine/queue';
import { notifyReview, notifyRun, RUNS_CHANNEL } from '../../engine/notify';
import { ReviewState, runStatusSql } from './run-rules';

/**
 * The run/step store: every write to runs, steps, event waits and resumes, on the caller's
 * transaction (run starts are in run-start.ts). The rules these apply are pure functions in
 * run-rules.ts. Callers (StepExecutor, RunsService, ReviewsService, EventMatcher) hold no SQL.
 */

export interface RunRow {
  id: string;
  flow_id: string;
  version: number;
  status: string;
  test: boolean;
  trigger: Record<string, unknown>;
  event_id: string | null;
  started_at: Date | null;
  document: FlowDocument;
  flow_name: string;
}

/** What a write needs to know of its run. */
export type RunRef = Pick<RunRow, 'id' | 'flow_id'>;

export interface StepRow {
  id: string;
  node_id: string;
  node_type: string;
  status: string;
  attempt: number;
  port: string | null;
  output: unknown;
}

type Wait = Extract<NodeResult, { wait: unknown }>['wait'];

export async function lockRun(m: EntityManager, runId: string): Promise<RunRow | null> {
  const rows: RunRow[] = await m.query(
    `SELECT r.id, r.flow_id, r.version, r.status, r.test, r.trigger, r.event_id, r.started_at, coalesce(r.document, v.document) AS document, f.name AS flow_name
     FROM runs r JOIN flows f ON f.id = r.flow_id LEFT JOIN flow_versions v ON v.flow_id = r.flow_id AND v.version = r.version
     WHERE r.id = $1 FOR UPDATE OF r`,
    [runId],
  );
  return rows[0] ?? null;
}

/** Outputs of the run's finished and waiting steps, for `steps.<id>` in expressions. */
export async function stepOutputs(m: Pick<EntityManager, 'query'>, runId: string): Promise<Record<string, unknown>> {
  const rows: Array<{ node_id: string; output: unknown }> = await m.query(`SELECT node_id, output FROM steps WHERE run_id = $1 AND status IN ('succeeded','skipped','waiting')`, [runId]);
  return Object.fromEntries(rows.map((r) => [r.node_id, r.output]));
}

/** Records a step's input and, unless it was woken, its idempotency key (before it parks). */
export async function setStepInputAndKey(m: EntityManager, stepId: string, input: unknown, key: string | undefined): Promise<void> {
  await m.query(`UPDATE steps SET input = $2, idempotency_key = coalesce($3, idempotency_key) WHERE id = $1`, [stepId, JSON.stringify(input ?? null), key ?? null]);
}

export async function notifyStep(m: EntityManager, run: { id: string; flow_id: string }, nodeId: string, stepStatus: string): Promise<void> {
  await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId, stepStatus });
}

/** Records the effect's key; returns the earlier run that holds it, if another run does. */
export async function claimKey(m: EntityManager, run: RunRef, nodeId: string, key: string): Promise<string | null> {
  const inserted = await m.query(`INSERT INTO idempotency_keys (flow_id, node_id, key, run_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING run_id`, [run.flow_id, nodeId, key, run.id]);
  if (inserted.length) return null;
  const [existing] = await m.query(`SELECT run_id FROM idempotency_keys WHERE flow_id = $1 AND node_id = $2 AND key = $3`, [run.flow_id, nodeId, key]);
  return existing.run_id === run.id ? null : existing.run_id;
}

/**
 * A repeat of an effect an earlier run made: recorded as skipped, following the port the
 * earlier step took (null: the path stops here). Returns that port.
 */
export async function skipStep(m: EntityManager, run: RunRef, step: StepRow, key: string, earlierRunId: string): Promise<string | null> {
  const [earlier] = await m.query(`SELECT status, port, output FROM steps WHERE run_id = $1 AND node_id = $2`, [earlierRunId, step.node_id]);
  const port: string | null = earlier && (earlier.status === 'succeeded' || earlier.status === 'skipped') ? earlier.port : null;
  const output = { skipped: true, reason: 'duplicate', idempotencyKey: key, earlierRunId, earlierOutput: earlier?.output ?? null };
  await m.query(`UPDATE steps SET status = 'skipped', port = $2, output = $3, idempotency_key = $4, skipped_of_run = $5, finished_at = clock_timestamp() WHERE id = $1`, [
    step.id,
    port,
    JSON.stringify(output),
    key,
    earlierRunId,
  ]);
  await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: step.node_id, stepStatus: 'skipped', port });
  return port;
}

/** The step waits: for a timer (a keyed job), a matching event (an event_waits row), or both. */
export async function parkStep(m: EntityManager, run: RunRef, step: StepRow, wait: Wait): Promise<void> {
  const until = wait.until ? new Date(wait.until) : null;
  await m.query(`UPDATE steps SET status = 'waiting', output = $2, wait_until = $3 WHERE id = $1`, [step.id, JSON.stringify(wait.output ?? null), until]);
  if (until) await addJob(m, 'run_step', { runId: run.id, nodeId: step.node_id, resume: 'timer' }, { runAt: until, jobKey: timerKey(step.id), maxAttempts: 3 });
  if (wait.event) {
    await m.query(
      `INSERT INTO event_waits (step_id, run_id, flow_id, types, match) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (step_id) DO UPDATE SET types = EXCLUDED.types, match = EXCLUDED.match`,
      [step.id, run.id, run.flow_id, wait.event.types, wait.event.match ?? null],
    );
  }
  await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: step.node_id, stepStatus: 'waiting' });
}

/** The newest review of a waiting step (what a resume reads). */
export async function latestReview(m: EntityManager, step: StepRow): Promise<ReviewState | null> {
  const [r] = await m.query(`SELECT id, status, decision, note, decided_by FROM reviews WHERE run_id = (SELECT run_id FROM steps WHERE id = $1) AND node_id = $2 ORDER BY created_at DESC LIMIT 1`, [
    step.id,
    step.node_id,
  ]);
  return r ?? null;
}

export async function expireReview(m: EntityManager, reviewId: string): Promise<void> {
  const [r]: Array<{ run_id: string }> = await m.query(`WITH u AS (UPDATE reviews SET status = 'expired' WHERE id = $1 RETURNING run_id) SELECT * FROM u`, [reviewId]);
  if (r) await notifyReview(m, { reviewId, runId: r.run_id, status: 'expired' });
}

/** A woken step no longer waits on anything else. */
export async function clearWaits(m: EntityManager, step: StepRow): Promise<void> {
  await m.query(`DELETE FROM event_waits WHERE step_id = $1`, [step.id]);
  await removeJob(m, timerKey(step.id));
}

/**
 * Sets the run's status from its steps' (runStatusFrom) and returns it: counted and written in
 * one statement. The caller holds the run's lock from an earlier statement, so the count's
 * snapshot comes after every other step of the run that committed before it.
 *
 * `job`: the graphile-worker job running these steps. When the run is left with nothing to run
 * (ended, or waiting), the job is deleted in this statement, so it ends with the commit of its
 * work: graphile-worker's own completion afterwards deletes nothing and commits without waiting
 * for a WAL flush, one flush per run fewer, and a worker killed between the two has no job
 * left to be run again.
 */
export async function settleRun(m: Pick<EntityManager, 'query'>, run: { id: string; flow_id: string }, opts: { error?: string; job?: string | null } = {}): Promise<string> {
  const [row]: Array<{ status: string }> = await m.query(
    `WITH c AS (SELECT count(*) FILTER (WHERE status IN ('queued','running','retrying')) AS active,
                       count(*) FILTER (WHERE status = 'waiting') AS waiting,
                       count(*) FILTER (WHERE status = 'failed') AS failed
                FROM steps WHERE run_id = $1),
          x AS (SELECT ${runStatusSql('c')} AS status FROM c),
          u AS (UPDATE runs SET status = x.status, started_at = coalesce(runs.started_at, now()),
                                finished_at = CASE WHEN x.status IN ('succeeded','failed') THEN clock_timestamp() END,
                                error = coalesce($2, CASE WHEN x.status = 'failed' THEN runs.error END)
                -- A run still running, as its row says already, is not written again (a fan-out's branches ending one by one).
                FROM x WHERE runs.id = $1 AND (runs.status <> x.status OR x.status <> 'running' OR $2::text IS NOT NULL OR runs.started_at IS NULL)
                RETURNING runs.status),
          e AS (SELECT pg_notify($3, json_build_object('runId', $1::text, 'flowId', $4::text, 'runStatus', u.status)::text) FROM u),
          j AS (${jobDelete('$5::bigint')} AND (SELECT status FROM x) NOT IN ('queued','running'))
     SELECT x.status, (SELECT count(*) FROM e) AS notified FROM x`,
    [run.id, opts.error ?? null, RUNS_CHANNEL, run.flow_id, opts.job ?? null],
  );
  return row.status;
}

/**
 * Marks a run running at the end of a batch that did not settle it: the batch's claims leave the
 * run's row alone, so a run that starts and ends in one batch writes it once (its row is never a
 * HOT update: its status is indexed). The caller holds the run's lock.
 */
export async function markRunning(m: Pick<EntityManager, 'query'>, runId: string): Promise<void> {
  await m.query(
    `WITH u AS (UPDATE runs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1 AND status <> 'running' RETURNING id, flow_id)
     SELECT pg_notify($2, json_build_object('runId', u.id, 'flowId', u.flow_id, 'runStatus', 'running')::text) FROM u`,
    [runId, RUNS_CHANNEL],
  );
}

/** The document a run is pinned to: its published version, or a test run's own snapshot. */
export async function pinnedDocument(m: Pick<EntityManager, 'query'>, runId: string): Promise<FlowDocument | null> {
  const [row] = await m.query(`SELECT coalesce(r.document, v.document) AS document FROM runs r LEFT JOIN flow_versions v ON v.flow_id = r.flow_id AND v.version = r.version WHERE r.id = $1`, [runId]);
  return row?.document ?? null;
}

/** Locks a run for an operator action; null when it does not exist. */
export async function lockRunSummary(m: EntityManager, runId: string): Promise<{ id: string; flow_id: string; status: string; version: number; test: boolean } | null> {
  const [run] = await m.query(`SELECT id, flow_id, status, version, test FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
  return run ?? null;
}

/** Queues a failed run's failed steps again (finished ones are not repeated); returns their node ids. */
/**
 * Re-pins a run to another published version (a fix published after it failed). Steps already
 * finished stay as they were; what runs next follows the new version's graph.
 */
export async function repinRun(m: EntityManager, runId: string, version: number): Promise<void> {
  await m.query(`UPDATE runs SET version = $2, document = NULL WHERE id = $1`, [runId, version]);
}

/** A flow's published version and document now; null when it was never published. */
export async function latestPublished(m: EntityManager, flowId: string): Promise<{ version: number; document: FlowDocument } | null> {
  const [row] = await m.query(
    `SELECT f.published_version AS version, v.document FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = $1`,
    [flowId],
  );
  return row ?? null;
}

/** The failed steps of a run, by node. */
export async function failedSteps(m: EntityManager, runId: string): Promise<Array<{ node_id: string; node_type: string }>> {
  return m.query(`SELECT node_id, node_type FROM steps WHERE run_id = $1 AND status = 'failed'`, [runId]);
}

export async function retryFailedSteps(m: EntityManager, run: { id: string; flow_id: string }): Promise<string[]> {
  const failed: Array<{ node_id: string; max_attempts: number }> = await m.query(
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
    `WITH u AS (UPDATE steps SET status = 'queued', attempt = 0, error = NULL, finished_at = NULL WHERE run_id = $1 AND status = 'failed' RETURNING node_id, max_attempts) SELECT * FROM u`,
    [run.id],
  );
  for (const s of failed) await addJob(m, 'run_step', { runId: run.id, nodeId: s.node_id }, { maxAttempts: s.max_attempts });
  await m.query(`UPDATE runs SET status = 'running', error = NULL, finished_at = NULL WHERE id = $1`, [run.id]);
  await notifyRun(m, { runId: run.id, flowId: run.flow_id, runStatus: 'running' });
  return failed.map((s) => s.node_id);
}

/** Stops a run: pending steps cancelled, timers removed, waits and pending reviews dropped. */
export async function cancelRun(m: EntityManager, run: { id: string; flow_id: string }): Promise<void> {
  const open: Array<{ id: string }> = await m.query(
    `WITH u AS (UPDATE steps SET status = 'cancelled', finished_at = now() WHERE run_id = $1 AND status IN ('queued','running','retrying','waiting') RETURNING id) SELECT * FROM u`,
    [run.id],
  );
  for (const s of open) await removeJob(m, timerKey(s.id));
  await m.query(`DELETE FROM event_waits WHERE run_id = $1`, [run.id]);
  const dropped: Array<{ id: string }> = await m.query(`WITH u AS (UPDATE reviews SET status = 'cancelled' WHERE run_id = $1 AND status = 'pending' RETURNING id) SELECT * FROM u`, [run.id]);
  for (const r of dropped) await notifyReview(m, { reviewId: r.id, runId: run.id, status: 'cancelled' });
  await m.query(`UPDATE runs SET status = 'cancelled', finished_at = now() WHERE id = $1`, [run.id]);
  await notifyRun(m, { runId: run.id, flowId: run.flow_id, runStatus: 'cancelled' });
}

export type DecisionOutcome = { ok: true; runId: string } | { ok: false; reason: 'not_found' | 'decided' | 'not_waiting'; status?: string };

/** Records a review decision and wakes its waiting step on the matching port; one decision per review. */
export async function decideReview(m: EntityManager, reviewId: string, decision: 'approve' | 'reject', note: string | null, by: string): Promise<DecisionOutcome> {
  const [review] = await m.query(`SELECT id, run_id, flow_id, node_id, status FROM reviews WHERE id = $1 FOR UPDATE`, [reviewId]);
  if (!review) return { ok: false, reason: 'not_found' };
  if (review.status !== 'pending') return { ok: false, reason: 'decided', status: review.status };
  const [step] = await m.query(`SELECT id, status FROM steps WHERE run_id = $1 AND node_id = $2 FOR UPDATE`, [review.run_id, review.node_id]);
  if (!step || step.status !== 'waiting') return { ok: false, reason: 'not_waiting' };
  await m.query(`UPDATE reviews SET status = $2, decision = $3, note = $4, decided_by = $5, decided_at = now() WHERE id = $1`, [
    reviewId,
    decision === 'approve' ? 'approved' : 'rejected',
    decision,
    note,
    by,
  ]);
  await removeJob(m, timerKey(step.id));
  await addJob(m, 'run_step', { runId: review.run_id, nodeId: review.node_id, resume: 'review', resumeRef: reviewId }, { maxAttempts: 3 });
  await notifyRun(m, { runId: review.run_id, flowId: review.flow_id, nodeId: review.node_id, stepStatus: 'waiting' });
  await notifyReview(m, { reviewId, runId: review.run_id, status: decision === 'approve' ? 'approved' : 'rejected' });
  return { ok: true, runId: review.run_id };
}

export interface EventWait {
  step_id: string;
  run_id: string;
  node_id: string;
  match: string | null;
  trigger: Record<string, unknown>;
}

/** A stored trigger event of a flow (what a wait.event step matches against). */
export async function triggerEvent(m: Pick<EntityManager, 'query'>, eventRowId: string, flowId: string): Promise<{ type: string; payload: Record<string, unknown> } | null> {
  const [row] = await m.query(`SELECT type, payload FROM trigger_events WHERE id = $1 AND flow_id = $2`, [eventRowId, flowId]);
  return row ?? null;
}

/** Steps of a flow waiting for an event of this type, oldest first. */
export async function waitsFor(m: Pick<EntityManager, 'query'>, flowId: string, type: string): Promise<EventWait[]> {
  return m.query(
    `SELECT w.step_id, w.run_id, s.node_id, w.match, r.trigger
     FROM event_waits w JOIN steps s ON s.id = w.step_id JOIN runs r ON r.id = w.run_id
     WHERE w.flow_id = $1 AND $2 = ANY (w.types) AND s.status = 'waiting'
     ORDER BY w.created_at`,
    [flowId, type],
  );
}

/**
 * Wakes a waiting step with the event it matched: locks the step and claims its wait row, so
 * a retry, a second event or the timeout at the same moment cannot wake it twice.
 */
export async function wakeWithEvent(m: EntityManager, wait: EventWait, event: Record<string, unknown>): Promise<boolean> {
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
