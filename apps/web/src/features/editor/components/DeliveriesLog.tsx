import { Link } from 'react-router';
import { Badge } from '../../../components/Badge';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatDateTime, formatRelative, shortId } from '../../../lib/format';
import { useDeliveries } from '../hooks/useDeliveries';

/** What reached the trigger's address: ran, ignored or held, with duplicates counted and the run it started. */
export function DeliveriesLog({ flowId }: { flowId: string }) {
  const events = useDeliveries(flowId);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="callout callout-plain deliveries" data-testid="deliveries">
      <div className="callout-title">Deliveries</div>
      {events.isPending && <span className="muted small">Loading deliveries…</span>}
      {events.isError && <ErrorBanner title="Could not load deliveries." error={events.error} onRetry={() => events.refetch()} />}
      {events.isSuccess && items.length === 0 && (
        <p className="muted small" data-testid="deliveries-empty">
          Nothing received yet. Events sent to the address above appear here, duplicates counted.
        </p>
      )}
      {items.length > 0 && (
        <table className="table" data-testid="deliveries-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Event</th>
              <th title="Repeats of the same event id">Dup.</th>
              <th>Via</th>
              <th>Run</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-testid={`delivery-${e.eventId}`} title={`Received ${formatDateTime(e.receivedAt)}${e.livemode === false ? ' · test mode' : ''}`}>
                <td>
                  <Badge status={e.status} />
                </td>
                <td className="cell-clip">
                  <div className="clip">{e.type ?? <span className="muted">—</span>}</div>
                  <div className="clip muted">
                    <code title={e.eventId}>{e.eventId}</code> · {formatRelative(e.receivedAt)}
                  </div>
                </td>
                <td>{e.duplicateCount > 0 ? `×${e.duplicateCount}` : <span className="muted">—</span>}</td>
                <td>{e.via}</td>
                <td>
                  {e.runId ? (
                    <Link to={`/runs/${e.runId}`} data-testid={`delivery-run-${e.eventId}`}>
                      {shortId(e.runId).slice(0, 6)}
                    </Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.hasNextPage && (
        <button type="button" className="btn btn-small" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? 'Loading…' : 'Older deliveries'}
        </button>
      )}
    </div>
  );
}
