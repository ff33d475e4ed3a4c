import type { EntityManager } from 'typeorm';

/** Jobs the worker knows. Payloads are small pointers; the state lives in our tables. */
export interface JobPayloads {
  run_step: { runId: string; nodeId: string; resume?: 'timer' | 'event' | 'review'; resumeRef?: string };
  deliver_outbox: { messageId: string };
  match_event: { flowId: string; eventRowId: string };
  /** A schedule trigger's next tick (job key `schedule:<flowId>`: one pending per flow). */
  fire_schedule: { flowId: string; scheduledFor: string };
}
export type TaskName = keyof JobPayloads;

export interface AddJobOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** Replaces a pending job with the same key; also how a timer is cancelled. */
  jobKey?: string;
}

/**
 * Enqueues through graphile-worker's SQL API on the caller's transaction, so the job
 * exists if and only if the state change that needs it commits.
 */
export async function addJob<T extends TaskName>(m: EntityManager, task: T, payload: JobPayloads[T], opts: AddJobOptions = {}): Promise<void> {
  await m.query(`SELECT graphile_worker.add_job($1, $2::json, run_at => $3, max_attempts => $4, job_key => $5)`, [
    task,
    JSON.stringify(payload),
    opts.runAt ?? null,
    opts.maxAttempts ?? null,
    opts.jobKey ?? null,
  ]);
}

/**
 * An INSERT into graphile-worker's job table for statements that create rows and their jobs
 * together (a run's first step, a Stripe event's wait matcher): what `add_job` does for a job
 * without key, queue or run_at, minus its NOTIFY, which would serialize those statements'
 * commits (database/after-commit-notify.ts; the caller wakes the workers after commit) and
 * minus its upsert of the task row, which `ensureTasks` made at migration. `from` yields the
 * columns `payload` (json) and `max_attempts` (int). The task id is a scalar subquery: were
 * the task row missing, the NOT NULL task_id fails the statement instead of dropping the job.
 * Tied to graphile-worker 0.17's schema, like the lost-lock release in worker.service.ts.
 */
export function jobInsert(task: TaskName, from: string): string {
  return `INSERT INTO graphile_worker._private_jobs (task_id, payload, max_attempts)
          SELECT (SELECT t.id FROM graphile_worker._private_tasks t WHERE t.identifier = '${task}'), j.payload, j.max_attempts::smallint
          FROM (${from}) j
          RETURNING id`;
}

/**
 * A DELETE of the job `id` (an SQL expression) from graphile-worker's job table, for a statement
 * that ends the job's work (settleRun); a caller may add conditions with AND. What
 * graphile-worker's completion does after the task returns, which then finds nothing to delete.
 * Tied to graphile-worker 0.17's schema, like jobInsert.
 */
export function jobDelete(id: string): string {
  return `DELETE FROM graphile_worker._private_jobs WHERE id = ${id}`;
}

// Every task, checked against JobPayloads by the compiler.
const TASKS = Object.keys({ run_step: 1, deliver_outbox: 1, match_event: 1, fire_schedule: 1 } satisfies Record<TaskName, 1>);

/** The task rows jobInsert needs; run once the queue's schema exists. */
export async function ensureTasks(m: Pick<EntityManager, 'query'>): Promise<void> {
  await m.query('INSERT INTO graphile_worker._private_tasks (identifier) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [TASKS]);
}

export async function removeJob(m: EntityManager, jobKey: string): Promise<void> {
  await m.query(`SELECT graphile_worker.remove_job($1)`, [jobKey]);
}

export const timerKey = (stepId: string) => `timer:${stepId}`;
