import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Refetches what a live message says changed, including a query whose first load is still on
 * its way. `invalidateQueries` alone joins a fetch in flight when the query has no data yet,
 * and that fetch may have read the database before the change committed: the list would then
 * show the old rows, fresh for its whole staleTime, and the change would wait for the next poll.
 * Cancelling first makes the refetch a new request, sent after the change.
 */
export async function refreshQueries(qc: QueryClient, keys: readonly QueryKey[], opts: { exact?: boolean } = {}): Promise<void> {
  await Promise.all(keys.map((queryKey) => qc.cancelQueries({ queryKey, exact: opts.exact })));
  await Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey, exact: opts.exact })));
}
