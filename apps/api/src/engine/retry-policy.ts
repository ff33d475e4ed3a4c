import type { NodeDefinition } from '@handoff/nodes';

const DEFAULT_ATTEMPTS = 3;

/** Attempts for a node's step: its config's `retry.attempts`, else the node type's default, else 3. */
export function maxAttemptsFor(def: NodeDefinition | undefined, config: unknown): number {
  const fromConfig = (config as { retry?: { attempts?: unknown } } | null)?.retry?.attempts;
  const n = typeof fromConfig === 'number' ? fromConfig : (def?.retry?.attempts ?? DEFAULT_ATTEMPTS);
  return Math.max(1, Math.min(25, Math.floor(n)));
}
