import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { EmptyState } from '../../../components/EmptyState';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import type { FlowSummary } from '../../../api/types';
import { canEdit, useMe } from '../../auth/hooks/useMe';
import { useFlows } from '../hooks/useFlows';
import { DeleteFlowDialog } from './DeleteFlowDialog';
import { FlowTable } from './FlowTable';
import { ImportFlowButton } from './ImportFlowButton';
import { NewFlowButton } from './NewFlowButton';
import { TemplateButton } from './TemplateButton';
import { TemplateCards } from './TemplateCards';

export function FlowListPage() {
  const flows = useFlows();
  const me = useMe();
  const editable = canEdit(me.data);
  const [deleting, setDeleting] = useState<FlowSummary | null>(null);
  const items = flows.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <main className="page">
      <PageHeader
        title="Flows"
        subtitle="Automations that run when a payment arrives, from first charge to onboarding."
        actions={
          editable && (
            <>
              <ImportFlowButton />
              <TemplateButton />
              <NewFlowButton />
            </>
          )
        }
      />
      {flows.isPending && <Spinner label="Loading flows…" />}
      {flows.isError && <ErrorBanner title="Could not load flows." error={flows.error} onRetry={() => flows.refetch()} />}
      {flows.isSuccess && items.length === 0 && (
        <EmptyState title="No flows yet" testId="flows-empty" action={editable && <NewFlowButton testId="new-flow-empty" />}>
          A flow starts with a trigger, such as a Stripe payment, and hands the customer on to your CRM, your team and
          onboarding.
        </EmptyState>
      )}
      {flows.isSuccess && items.length === 0 && editable && <TemplateCards />}
      {items.length > 0 && <FlowTable flows={items} onDelete={editable ? setDeleting : undefined} />}
      {flows.hasNextPage && (
        <div className="load-more">
          <button type="button" className="btn" onClick={() => flows.fetchNextPage()} disabled={flows.isFetchingNextPage}>
            {flows.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      <DeleteFlowDialog flow={deleting} onClose={() => setDeleting(null)} />
    </main>
  );
}
