import type { EntityManager } from 'typeorm';
import type { FlowDocument } from '@handoff/nodes';

type Query = Pick<EntityManager, 'query'>;

/** Versions kept per process: far more than the flows a worker runs at once. */
const MAX_KEPT = 256;
const kept = new Map<string, FlowDocument>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The document of a published flow version. A version never changes once published (a
 * publish inserts the next one), so each process keeps the ones it ran instead of reading a
 * few kB of JSON with every job (#17). Frozen: every run of the version shares the object.
 * Null when the version does not exist.
 */
export async function publishedDocument(m: Query, flowId: string, version: number): Promise<FlowDocument | null> {
  const key = `${flowId}:${version}`;
  const hit = kept.get(key);
  if (hit) return hit;
  const rows: Array<{ document: FlowDocument }> = await m.query('SELECT document FROM flow_versions WHERE flow_id = $1 AND version = $2', [flowId, version]);
  if (!rows[0]) return null;
  if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
  kept.set(key, deepFreeze(rows[0].document));
  return rows[0].document;
}
