import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { shortId } from '../../../lib/format';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useOutbox } from '../hooks/useOutbox';
import { OUTBOX_STATUSES } from '../lib/outbox';
import { OutboxRow } from './OutboxRow';

/** Every message flows queued: filter by status or run, see each attempt, retry dead or held ones. */
export function OutboxPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const runId = params.get('runId') ?? '';
  const outbox = useOutbox({ status, runId });
  const me = useMe();
  const [open, setOpen] = useState<string | null>(null);
  const items = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = !!(status || runId);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <main className="page">
      <PageHeader title="Outbox" subtitle="Messages flows sent or are sending: held ones had no credential, dead ones ran out of attempts." />
      <div className="filters" data-testid="outbox-filters">
        <div className="tabs tabs-inline" role="tablist" aria-label="Status">
          {['', ...OUTBOX_STATUSES].map((s) => (
            <button
              key={s || 'all'}
              type="button"
              role="tab"
              aria-selected={status === s}
              className={status === s ? 'tab is-on' : 'tab'}
              onClick={() => set('status', s)}
              data-testid={`outbox-filter-${s || 'all'}`}
            >
              {s ? s.charAt(0).toUpperCase() + s.slice(1) : 'All'}
            </button>
          ))}
        </div>
        {runId && (
          <span className="chip" data-testid="outbox-run-filter">
            Run <code>{shortId(runId)}</code>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => set('runId', '')} aria-label="Show every run">
              ✕
            </button>
          </span>
        )}
      </div>
      {outbox.isPending && <Spinner label="Loading messages…" />}
      {outbox.isError && <ErrorBanner title="Could not load the outbox." error={outbox.error} onRetry={() => outbox.refetch()} />}
      {outbox.isSuccess && items.length === 0 && (
        <EmptyState title={filtered ? 'No messages match' : 'No messages yet'} testId="outbox-empty">
          {filtered ? 'Try another status or clear the filters.' : 'Messages appear here when a flow’s Notify step sends a Slack message or an e-mail.'}
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-clickable table-compact" data-testid="outbox-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>To</th>
                <th>Message</th>
                <th>Attempts</th>
                <th>Queued</th>
                <th>Run</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <OutboxRow key={m.id} message={m} expanded={open === m.id} onToggle={() => setOpen(open === m.id ? null : m.id)} mayRetry={canEdit(me.data)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {outbox.hasNextPage && (
        <div className="load-more">
          <button type="button" className="btn" onClick={() => outbox.fetchNextPage()} disabled={outbox.isFetchingNextPage}>
            {outbox.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </main>
  );
}
