/** What graphile-worker passes with a log line; `failure` and `job` come with "Failed task …". */
export interface GraphileLogMeta {
  failure?: boolean;
  job?: { task_identifier?: string };
}

/**
 * The level a graphile-worker log line gets in our log, or null to drop it. A failed `run_step`
 * job is StepExecutor's own rethrow (the job's step will be retried with graphile-worker's
 * backoff): StepExecutor has logged it already, as a warning with the run, node and attempt, so
 * graphile-worker's copy with a stack at error level would only page someone for a retry.
 */
export function graphileLevel(level: string, meta?: GraphileLogMeta): 'error' | 'warn' | null {
  if (meta?.failure && meta.job?.task_identifier === 'run_step') return null;
  if (level === 'error') return 'error';
  if (level === 'warning') return 'warn';
  return null;
}
