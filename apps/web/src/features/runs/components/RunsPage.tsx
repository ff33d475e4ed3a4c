import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { errorMessage } from '../../../api/client';
import { formatDateTime, formatDuration, formatRelative } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useFlows } from '../../flows/hooks/useFlows';
import { useRunListStream } from '../hooks/useRunStream';
import { useBulkRetry, useRuns, type BulkRetryResult } from '../hooks/useRuns';
import { RETRY_HELP, RETRY_LATEST_HELP } from '../lib/retryHelp';

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
  const editable = canEdit(useMe().data);
  const bulk = useBulkRetry();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [refusals, setRefusals] = useState<Array<Extract<BulkRetryResult, { ok: false }>>>([]);
  useRunListStream(flowId || undefined);
  const failedIds = items.filter((r) => r.status === 'failed').map((r) => r.id);
  // Only runs that are (still) failed and on screen can be selected: a run that finished meanwhile drops out.
  const chosen = failedIds.filter((id) => selected.has(id));

  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const retrySelected = (latest: boolean) =>
    bulk.mutate(
      { ids: chosen, latest },
      {
        onSuccess: ({ results }) => {
          const done = results.filter((r) => r.ok).length;
          const refused = results.filter((r): r is Extract<BulkRetryResult, { ok: false }> => !r.ok);
          setRefusals(refused);
          setSelected(new Set(refused.map((r) => r.id)));
          toast(`${done} of ${results.length} run${results.length === 1 ? '' : 's'} retried${latest ? ' on the latest version' : ''}`, refused.length ? 'error' : 'success');
        },
        onError: (err) => toast(errorMessage(err), 'error'),
      },
    );

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
          placeholder="Exact event id, customer id, e-mail or run id"
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
      {editable && chosen.length > 0 && (
        <div className="bulk-bar" data-testid="runs-bulk">
          <strong data-testid="runs-bulk-count">{chosen.length} failed run{chosen.length === 1 ? '' : 's'} selected</strong>
          <button type="button" className="btn btn-small" disabled={bulk.isPending} onClick={() => retrySelected(false)} title={RETRY_HELP} data-testid="runs-bulk-retry">
            Retry
          </button>
          <button type="button" className="btn btn-small" disabled={bulk.isPending} onClick={() => retrySelected(true)} title={RETRY_LATEST_HELP} data-testid="runs-bulk-retry-latest">
            Retry on latest version
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setSelected(new Set())}>
            Clear
          </button>
          <p className="bulk-help small">
            Each run is retried on its own. {RETRY_HELP} {RETRY_LATEST_HELP}
          </p>
        </div>
      )}
      {refusals.length > 0 && (
        <ul className="bulk-refusals" data-testid="runs-bulk-refusals">
          {refusals.map((r) => (
            <li key={r.id}>
              <code>{r.id.slice(0, 8)}</code> not retried: {r.message}
            </li>
          ))}
        </ul>
      )}
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
                {editable && (
                  <th className="cell-check">
                    <input
                      type="checkbox"
                      aria-label="Select every failed run shown"
                      disabled={!failedIds.length}
                      checked={failedIds.length > 0 && chosen.length === failedIds.length}
                      onChange={(e) => setSelected(new Set(e.target.checked ? failedIds : []))}
                      data-testid="runs-select-failed"
                    />
                  </th>
                )}
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
                  {editable && (
                    <td className="cell-check" onClick={(e) => e.stopPropagation()}>
                      {r.status === 'failed' && (
                        <input type="checkbox" aria-label={`Select run ${r.id.slice(0, 8)}`} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} data-testid={`run-select-${r.id}`} />
                      )}
                    </td>
                  )}
                  <td>
                    <Badge status={r.status} />
                  </td>
                  <td>
                    <span className="row-title">{r.flowName ?? flowNames.get(r.flowId) ?? r.flowId}</span>
                    {r.test || !r.version ? (
                      <span className="test-tag" data-testid="run-test">
                        Test
                      </span>
                    ) : (
                      <span className="muted small"> v{r.version}</span>
                    )}
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
