import type { CrmStreamMessage } from '../../../api/types';
import { crmKeys } from './keys';

export type QueryKey = readonly unknown[];

/**
 * What a CRM change on the live stream makes stale. A deal change: every deal list (boards,
 * team views), that deal's page, and the contacts that show it. A task change: every task list,
 * and the deal whose timeline lists the task. Anything else: the whole CRM.
 */
export function invalidationsFor(msg: CrmStreamMessage): QueryKey[] {
  if (msg.kind === 'deal') {
    return [crmKeys.deals, msg.dealId ? crmKeys.deal(msg.dealId) : crmKeys.anyDeal, crmKeys.contacts, crmKeys.anyContact];
  }
  if (msg.kind === 'task') return msg.dealId ? [crmKeys.tasks, crmKeys.deal(msg.dealId)] : [crmKeys.tasks];
  return [crmKeys.all];
}

/** The union of several messages' keys, each once: a burst of changes costs one refetch per query. */
export function mergeKeys(lists: ReadonlyArray<readonly QueryKey[]>): QueryKey[] {
  const seen = new Map<string, QueryKey>();
  for (const list of lists) for (const key of list) seen.set(JSON.stringify(key), key);
  return [...seen.values()];
}
