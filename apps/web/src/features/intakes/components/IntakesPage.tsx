import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ListView } from '../../../components/ListView';
import { PageHeader } from '../../../components/PageHeader';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useIntakes } from '../hooks/useIntakes';
import { INTAKE_STATUSES } from '../lib/intakes';
import { IntakeRow } from './IntakeRow';

/** Onboarding forms flows sent to clients: where each stands, its link, the answers, resend. */
export function IntakesPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const flowId = params.get('flowId') ?? '';
  const [search, setSearch] = useState(q);
  const intakes = useIntakes({ status, q, flowId });
  const me = useMe();
  const [open, setOpen] = useState<string | null>(null);
  const items = intakes.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = !!(status || q || flowId);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() !== q) set('q', search.trim());
    }, 300);
    return () => clearTimeout(t);
  }, [search, q]);

  return (
    <main className="page">
      <PageHeader title="Intakes" subtitle="Onboarding forms your flows sent to clients: who opened them, what they answered, and the link again if needed." />
      <div className="filters" data-testid="intake-filters">
        <div className="tabs tabs-inline" role="tablist" aria-label="Status">
          {['', ...INTAKE_STATUSES].map((s) => (
            <button
              key={s || 'all'}
              type="button"
              role="tab"
              aria-selected={status === s}
              className={status === s ? 'tab is-on' : 'tab'}
              onClick={() => set('status', s)}
              data-testid={`intake-filter-${s || 'all'}`}
            >
              {s ? s.charAt(0).toUpperCase() + s.slice(1) : 'All'}
            </button>
          ))}
        </div>
        <input type="search" className="filter-search" placeholder="Search client, e-mail or deal" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search intakes" data-testid="intake-search" />
      </div>
      <ListView
        query={intakes}
        count={items.length}
        what="intakes"
        testId="intakes-table"
        tableClassName="table-clickable table-compact"
        empty={
          <EmptyState title={filtered ? 'No intakes match' : 'No intakes yet'} testId="intakes-empty">
            {filtered ? 'Try another status or search.' : 'Intakes appear here when a flow’s “Start intake” step sends a client the onboarding form.'}
          </EmptyState>
        }
        columns={
          <>
            <th>Status</th>
            <th>Client</th>
            <th>Deal</th>
            <th>Flow</th>
            <th>Created</th>
            <th aria-label="Link and actions" />
          </>
        }
      >
        {items.map((i) => (
          <IntakeRow key={i.id} intake={i} expanded={open === i.id} onToggle={() => setOpen(open === i.id ? null : i.id)} mayResend={canEdit(me.data)} />
        ))}
      </ListView>
    </main>
  );
}
