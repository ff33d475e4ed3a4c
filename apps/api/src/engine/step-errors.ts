/** A failure that retrying cannot fix (broken expression, invalid config, a 4xx): fail at once. */
export class PermanentStepError extends Error {
  override readonly name = 'PermanentStepError';
}

const permanentNames = new Set(['PermanentStepError', 'ExpressionError', 'ConfigError']);

export function isPermanent(err: unknown): boolean {
  return err instanceof Error && permanentNames.has(err.name);
}
