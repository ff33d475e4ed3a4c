import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Spinner } from '../../../components/Spinner';
import { formatMoney } from '../../../lib/format';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useStageLabel, useStages } from '../../crm/hooks/useStages';
import { useDeal } from '../hooks/useDeal';
import { DealDetailsCard } from './DealDetailsCard';
import { DealStageSelect } from './DealStageSelect';
import { DealTasks } from './DealTasks';
import { DealTimeline } from './DealTimeline';

/** One deal: its fields and invoice, its tasks, and the one timeline sales, finance and delivery share. */
export function DealPage() {
  const { id = '' } = useParams();
  const deal = useDeal(id);
  const stages = useStages();
  const labelOf = useStageLabel();
  const me = useMe();
  const editor = canEdit(me.data);

  if (deal.isPending) {
    return (
      <main className="page">
        <Spinner label="Loading deal…" />
      </main>
    );
  }
  if (deal.isError) {
    const missing = deal.error instanceof ApiError && deal.error.status === 404;
    return (
      <main className="page">
        {missing ? (
          <EmptyState title="No such deal" testId="deal-missing" action={<Link to="/board">Back to the board</Link>}>
            It may have been removed, or the link is mistyped.
          </EmptyState>
        ) : (
          <ErrorBanner title="Could not load the deal." error={deal.error} onRetry={() => deal.refetch()} />
        )}
      </main>
    );
  }

  const d = deal.data;
  const client = d.contact.name || d.contact.email || 'Unknown client';
  return (
    <main className="page deal-page" data-testid="deal-page">
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/board">Board</Link>
        <span aria-hidden="true"> › </span>
        <span className="muted">{labelOf(d.stage)}</span>
      </nav>
      <header className="deal-page-head">
        <div className="deal-page-title">
          <h1 data-testid="deal-title">{d.title || client}</h1>
          <p className="muted">
            {d.title && (
              <>
                <Link to={`/contacts/${d.contactId}`}>{client}</Link>
                {' · '}
              </>
            )}
            <span className="deal-page-amount">{formatMoney(d.amount, d.currency)}</span>
            {d.product && ` · ${d.product}`}
          </p>
        </div>
        <DealStageSelect deal={d} stages={stages.data?.items ?? []} canMove={editor} />
      </header>
      <div className="deal-layout">
        <section className="card deal-story" aria-labelledby="timeline-title">
          <div className="side-card-head">
            <h2 id="timeline-title">Timeline</h2>
            <span className="muted small">Newest first · updates live</span>
          </div>
          <DealTimeline entries={d.timeline} labelOf={labelOf} />
        </section>
        <aside className="deal-side">
          <DealDetailsCard deal={d} canEdit={editor} />
          <DealTasks dealId={d.id} me={me.data?.email ?? ''} canAdd={editor} canEdit={editor} />
        </aside>
      </div>
    </main>
  );
}
