import type { EntityManager } from 'typeorm';

export const RUNS_CHANNEL = 'handoff_runs';

export interface RunEvent {
  runId: string;
  flowId: string;
  runStatus?: string;
  nodeId?: string;
  stepStatus?: string;
  port?: string | null;
  /** The attempt a running step is on, so watchers show "attempt n of m" before their refetch. */
  attempt?: number;
}

export const REVIEWS_CHANNEL = 'handoff_reviews';

/** A review was created or changed state: inboxes and the nav badge refetch. */
export interface ReviewEvent {
  reviewId: string;
  runId: string;
  status: string;
}

/**
 * Postgres NOTIFY is delivered on commit, to every listening process: the SSE stream in
 * any api process sees what any worker did. Payloads stay small (8 kB limit).
 */
export async function notifyRun(m: EntityManager, event: RunEvent): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [RUNS_CHANNEL, JSON.stringify(event)]);
}

export async function notifyReview(m: Pick<EntityManager, 'query'>, event: ReviewEvent): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [REVIEWS_CHANNEL, JSON.stringify(event)]);
}
