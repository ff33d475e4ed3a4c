import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { formatDateTime, formatDuration, formatRelative } from '../../../lib/format';
import { useFlows } from '../../flows/hooks/useFlows';
import { useRuns } from '../hooks/useRuns';

const STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'cancelled'];

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const flowId = params.get('flowId') ?? '';
  const status = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const runs = useRuns({ flowId, status, q });
  const flows = useFlows();
  const navigate = useNavigate();
  const flowNames = new Map((flows.data?.pages.flatMap((p) => p.items) ?? []).map((f) => [f.id, f.name]));
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // Search as the user types, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() !== q) set('q', search.trim());
    }, 350);
    return () => clearTimeout(t);
  }, [search]);

  const filtered = !!(flowId || status || q);

  return (
    <main className="page">
      <PageHeader title="Runs" subtitle="Every time a flow ran: what triggered it and how far it got." />
      <div className="filters" data-testid="runs-filters">
        <input
          type="search"
          className="filter-search"
          placeholder="Search by event id, customer id or e-mail"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="runs-search"
        />
        <select value={flowId} onChange={(e) => set('flowId', e.target.value)} aria-label="Flow" data-testid="runs-flow">
          <option value="">All flows</option>
          {[...flowNames].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select value={status} onChange={(e) => set('status', e.target.value)} aria-label="Status" data-testid="runs-status">
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {runs.isPending && <Spinner label="Loading runs…" />}
      {runs.isError && <ErrorBanner title="Could not load runs." error={runs.error} onRetry={() => runs.refetch()} />}
      {runs.isSuccess && items.length === 0 && (
        <EmptyState title={filtered ? 'No runs match' : 'No runs yet'} testId="runs-empty">
          {filtered ? 'Try another search or clear the filters.' : 'Runs appear here when a published flow receives an event, or when you test a flow.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-clickable" data-testid="runs-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Flow</th>
                <th>Trigger</th>
                <th>Customer</th>
                <th>Started</th>
                <th>Duration</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} onClick={() => navigate(`/runs/${r.id}`)} data-testid={`run-row-${r.id}`}>
                  <td>
                    <Badge status={r.status} />
                  </td>
                  <td>
                    <span className="row-title">{r.flowName ?? flowNames.get(r.flowId) ?? r.flowId}</span>
                    <span className="muted small"> {r.test || !r.version ? 'test' : `v${r.version}`}</span>
                  </td>
                  <td>
                    <div>{r.trigger?.type ?? '—'}</div>
                    {r.trigger?.eventId && <code className="muted small">{r.trigger.eventId}</code>}
                  </td>
                  <td>{r.email ?? r.customerId ?? <span className="muted">—</span>}</td>
                  <td title={formatDateTime(r.startedAt)}>{formatRelative(r.startedAt ?? r.createdAt)}</td>
                  <td>{r.finishedAt ? formatDuration(r.startedAt, r.finishedAt) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.hasNextPage && (
        <div className="load-more">
          <button type="button" className="btn" onClick={() => runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
            {runs.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </main>
  );
}
