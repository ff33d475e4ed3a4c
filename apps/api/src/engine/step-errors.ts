/** A failure that retrying cannot fix (broken expression, invalid config, a 4xx): fail at once. */
export class PermanentStepError extends Error {
  override readonly name = 'PermanentStepError';
}

const permanentNames = new Set(['PermanentStepError', 'ExpressionError', 'ConfigError']);

export function isPermanent(err: unknown): boolean {
  return err instanceof Error && permanentNames.has(err.name);
}

/**
 * What a job throws, after recording and logging the failed attempt of its own step, so that
 * graphile-worker retries the job with its backoff. Carries the attempt's message (graphile-worker
 * stores it as the job's last error); the log line is StepExecutor's, not graphile-worker's.
 */
export class RetryScheduled extends Error {
  override readonly name = 'RetryScheduled';
}
