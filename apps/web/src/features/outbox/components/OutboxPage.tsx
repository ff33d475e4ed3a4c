import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ListView } from '../../../components/ListView';
import { PageHeader } from '../../../components/PageHeader';
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
      <ListView
        query={outbox}
        count={items.length}
        what="messages"
        testId="outbox-table"
        tableClassName="table-clickable table-compact"
        empty={
          <EmptyState title={filtered ? 'No messages match' : 'No messages yet'} testId="outbox-empty">
            {filtered ? 'Try another status or clear the filters.' : 'Messages appear here when a flow’s Notify step sends a Slack message or an e-mail.'}
          </EmptyState>
        }
        columns={
          <>
            <th>Status</th>
            <th>To</th>
            <th>Message</th>
            <th>Attempts</th>
            <th>Queued</th>
            <th>Run</th>
            <th aria-label="Actions" />
          </>
        }
      >
        {items.map((m) => (
          <OutboxRow key={m.id} message={m} expanded={open === m.id} onToggle={() => setOpen(open === m.id ? null : m.id)} mayRetry={canEdit(me.data)} />
        ))}
      </ListView>
    </main>
  );
}
