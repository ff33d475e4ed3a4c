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

export async function removeJob(m: EntityManager, jobKey: string): Promise<void> {
  await m.query(`SELECT graphile_worker.remove_job($1)`, [jobKey]);
}

export const timerKey = (stepId: string) => `timer:${stepId}`;
