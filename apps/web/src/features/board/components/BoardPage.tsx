import { useState } from 'react';
import type { Deal } from '../../../api/types';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { useDeals, useStages } from '../hooks/useDeals';
import { DealCard } from './DealCard';

/** The built-in CRM's deals by stage: the one state sales, finance and delivery share. */
export function BoardPage() {
  const [q, setQ] = useState('');
  const stages = useStages();
  const deals = useDeals(q.trim());
  const byStage = new Map<string, Deal[]>();
  for (const d of deals.data?.items ?? []) byStage.set(d.stage, [...(byStage.get(d.stage) ?? []), d]);
  const known = new Set((stages.data?.items ?? []).map((s) => s.key));
  const columns = [
    ...(stages.data?.items ?? []),
    ...[...byStage.keys()].filter((k) => !known.has(k)).map((k) => ({ key: k, label: k })),
  ];

  return (
    <main className="page page-wide">
      <PageHeader
        title="Handoff board"
        subtitle="Where every paying client stands, from payment to onboarding. Flows move the cards."
        actions={<input type="search" className="filter-search" placeholder="Search name, e-mail or customer id" value={q} onChange={(e) => setQ(e.target.value)} data-testid="board-search" />}
      />
      {(stages.isPending || deals.isPending) && <Spinner label="Loading board…" />}
      {stages.isError && <ErrorBanner title="Could not load stages." error={stages.error} onRetry={() => stages.refetch()} />}
      {deals.isError && <ErrorBanner title="Could not load deals." error={deals.error} onRetry={() => deals.refetch()} />}
      {stages.isSuccess && deals.isSuccess && (
        <div className="board" data-testid="board">
          {columns.map((s) => {
            const list = byStage.get(s.key) ?? [];
            return (
              <section key={s.key} className="board-col" data-testid={`board-col-${s.key}`}>
                <header className="board-col-head">
                  <h2>{s.label}</h2>
                  <span className="count">{list.length}</span>
                </header>
                <div className="board-cards">
                  {list.map((d) => (
                    <DealCard key={d.id} deal={d} />
                  ))}
                  {list.length === 0 && <p className="board-none">No deals</p>}
                </div>
              </section>
            );
          })}
        </div>
      )}
    </main>
  );
}
