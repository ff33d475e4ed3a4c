import type { ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner';
import { Spinner } from './Spinner';

/** What the list needs of a TanStack query (plain or infinite). */
export interface ListQuery {
  isPending: boolean;
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage?: boolean;
  isFetchingNextPage?: boolean;
  fetchNextPage?: () => unknown;
}

interface Props {
  query: ListQuery;
  /** How many rows there are (the table shows once there is one). */
  count: number;
  /** Plural noun for the loading and error lines: "Loading {what}…", "Could not load {what}." */
  what: string;
  /** Shown once loaded with no rows; usually an EmptyState. */
  empty: ReactNode;
  /** The header row's cells. */
  columns: ReactNode;
  /** Extra table classes, e.g. "table-compact table-clickable". */
  tableClassName?: string;
  testId: string;
  children: ReactNode;
}

/** A list screen's table with its loading, error, empty and "load more" states. */
export function ListView({ query, count, what, empty, columns, tableClassName, testId, children }: Props) {
  return (
    <>
      {query.isPending && <Spinner label={`Loading ${what}…`} />}
      {query.isError && <ErrorBanner title={`Could not load ${what}.`} error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && count === 0 && empty}
      {count > 0 && (
        <div className="table-wrap">
          <table className={tableClassName ? `table ${tableClassName}` : 'table'} data-testid={testId}>
            <thead>
              <tr>{columns}</tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && query.fetchNextPage && (
        <div className="load-more">
          <button type="button" className="btn" onClick={() => void query.fetchNextPage?.()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  );
}
