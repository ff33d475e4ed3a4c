import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useMoveDeal } from '../../crm/hooks/useMoveDeal';
import { useStages } from '../../crm/hooks/useStages';
import { useBoardDeals } from '../hooks/useDeals';
import { boardColumns, teamViewOf, type TeamView } from '../lib/teamViews';
import { BoardColumn } from './BoardColumn';
import { BoardFilters } from './BoardFilters';
import { DealCard } from './DealCard';
import { NewDealDialog } from './NewDealDialog';

/** The built-in CRM's deals by stage: the one place sales, finance and delivery work, live. */
export function BoardPage() {
  const [params, setParams] = useSearchParams();
  const view = teamViewOf(params.get('view'));
  const recordType = params.get('type') ?? '';
  const q = params.get('q') ?? '';
  const includeTest = params.get('test') === '1';
  const [creating, setCreating] = useState(false);
  const me = useMe();
  const editor = canEdit(me.data);
  const stages = useStages();
  const deals = useBoardDeals({ view: view.key, recordType, q, includeTest });
  const move = useMoveDeal();

  const stageList = stages.data?.items ?? [];
  const columns = boardColumns(stageList, view, deals.deals);
  const byStage = new Map<string, typeof deals.deals>();
  for (const d of deals.deals) byStage.set(d.stage, [...(byStage.get(d.stage) ?? []), d]);
  const labelOf = (key: string) => stageList.find((s) => s.key === key)?.label ?? key;

  const setFilters = (patch: { view?: TeamView; recordType?: string; q?: string; includeTest?: boolean }) => {
    const next = new URLSearchParams(params);
    const set = (k: string, v: string | undefined) => (v && !(k === 'view' && v === 'all') ? next.set(k, v) : next.delete(k));
    if ('view' in patch) set('view', patch.view);
    if ('recordType' in patch) set('type', patch.recordType);
    if ('q' in patch) set('q', patch.q);
    if ('includeTest' in patch) set('test', patch.includeTest ? '1' : undefined);
    setParams(next, { replace: true });
  };

  const moveDeal = (id: string, stage: string) => {
    const deal = deals.deals.find((d) => d.id === id);
    if (!deal || deal.stage === stage) return;
    move.mutate({ id, stage, label: labelOf(stage) });
  };

  return (
    <main className="page page-wide board-page">
      <PageHeader
        title="Board"
        subtitle={view.key === 'all' ? 'Every deal, from first contact to active client. Drag a card to move it; flows move them too.' : `${view.label}: ${view.hint.toLowerCase()}.`}
        actions={
          editor && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-deal">
              New deal
            </button>
          )
        }
      />
      <BoardFilters view={view.key} recordType={recordType} q={q} includeTest={includeTest} onChange={setFilters} />
      {(stages.isPending || deals.isPending) && <Spinner label="Loading board…" />}
      {stages.isError && <ErrorBanner title="Could not load stages." error={stages.error} onRetry={() => stages.refetch()} />}
      {deals.error && <ErrorBanner title="Could not load deals." error={deals.error} onRetry={deals.refetch} />}
      {stages.isSuccess && deals.isSuccess && (
        <>
          {deals.truncated && (
            <p className="muted small board-note" data-testid="board-truncated">
              Showing the 200 most recently touched deals of this view. Search or filter to find older ones.
            </p>
          )}
          <div className="board" data-testid="board">
            {columns.map((s) => {
              const list = byStage.get(s.key) ?? [];
              return (
                <BoardColumn key={s.key} stage={s} count={list.length} onDropDeal={editor ? moveDeal : undefined}>
                  {list.map((d) => (
                    <DealCard key={d.id} deal={d} stages={stageList} canMove={editor} onMove={(stage) => moveDeal(d.id, stage)} />
                  ))}
                  {list.length === 0 && <p className="board-none">{editor ? 'No deals. Drop one here.' : 'No deals'}</p>}
                </BoardColumn>
              );
            })}
          </div>
        </>
      )}
      {creating && <NewDealDialog onClose={() => setCreating(false)} stages={stageList} defaultStage={view.stages?.[0] ?? stageList[0]?.key ?? 'lead'} />}
    </main>
  );
}
