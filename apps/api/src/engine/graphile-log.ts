import { RetryScheduled } from './step-errors';

/** What graphile-worker passes with a log line; `failure`, `job` and `error` come with "Failed task …". */
export interface GraphileLogMeta {
  failure?: boolean;
  error?: unknown;
}

/**
 * The level a graphile-worker log line gets in our log, or null to drop it. A job that failed
 * with RetryScheduled was StepExecutor's own rethrow after it recorded and logged the attempt
 * (as a warning, with the run, node and attempt): graphile-worker's copy, with a stack at error
 * level, would only page someone for a retry. Any other failure stays an error.
 */
export function graphileLevel(level: string, meta?: GraphileLogMeta): 'error' | 'warn' | null {
  if (meta?.failure && meta.error instanceof RetryScheduled) return null;
  if (level === 'error') return 'error';
  if (level === 'warning') return 'warn';
  return null;
}
