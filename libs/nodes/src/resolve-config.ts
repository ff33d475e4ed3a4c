import type { NodeDefinition } from './define';
import { renderConfig } from './expression';
import { describeIssue, formatPath } from './issues';

/** A stored node config that its node type refuses (possible in test runs of drafts). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
  }
}

/**
 * What a node's `run` receives: the stored config parsed by its schema (so defaults such as
 * `{{ trigger.payment.email }}` are filled in) and then rendered over `scope`. Order matters:
 * rendering first would skip the defaults, and parsing after would reject rendered numbers.
 */
export async function resolveConfig(def: NodeDefinition, rawConfig: unknown, scope: unknown): Promise<unknown> {
  return renderConfig(parseConfig(def, rawConfig), scope, def.expressionFields ?? []);
}

/** The stored config parsed by its node's schema, defaults filled in, not yet rendered; ConfigError when it does not pass. */
export function parseConfig(def: NodeDefinition, rawConfig: unknown): unknown {
  const parsed = def.config.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${formatPath(i.path) || 'config'} ${describeIssue(i, rawConfig)}`);
    throw new ConfigError(`${def.label} settings are invalid: ${issues.join('; ')}`, issues);
  }
  return parsed.data;
}
