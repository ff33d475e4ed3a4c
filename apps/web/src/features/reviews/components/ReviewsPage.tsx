import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageHeader } from '../../../components/PageHeader';
import { Spinner } from '../../../components/Spinner';
import { canDecide, useMe } from '../../auth/hooks/useMe';
import { useReviews } from '../hooks/useReviews';
import { ReviewCard } from './ReviewCard';

export function ReviewsPage() {
  const [tab, setTab] = useState<'pending' | 'all'>('pending');
  // Like the board's Test deals: reviews held by test runs of drafts stay out of the inbox unless asked for (?test=1).
  const [params, setParams] = useSearchParams();
  const includeTest = params.get('test') === '1';
  const reviews = useReviews(tab, includeTest);
  const me = useMe();
  const items = [...(reviews.data?.items ?? [])].sort((a, b) => (tab === 'pending' ? a.createdAt.localeCompare(b.createdAt) : b.createdAt.localeCompare(a.createdAt)));

  return (
    <main className="page page-narrow">
      <PageHeader title="Reviews" subtitle="Payments held for a person to check before onboarding goes ahead." />
      <div className="tabs">
        <div className="tabs-list" role="tablist">
          {(['pending', 'all'] as const).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'tab is-on' : 'tab'} onClick={() => setTab(t)} data-testid={`reviews-tab-${t}`}>
              {t === 'pending' ? 'Waiting for a decision' : 'All reviews'}
            </button>
          ))}
        </div>
        <label className="tabs-toggle" title="Reviews held by test runs of drafts">
          <input
            type="checkbox"
            checked={includeTest}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.checked) next.set('test', '1');
              else next.delete('test');
              setParams(next, { replace: true });
            }}
            data-testid="reviews-include-test"
          />{' '}
          Test
        </label>
      </div>
      {reviews.isPending && <Spinner label="Loading reviews…" />}
      {reviews.isError && <ErrorBanner title="Could not load reviews." error={reviews.error} onRetry={() => reviews.refetch()} />}
      {reviews.isSuccess && items.length === 0 && (
        <EmptyState title={tab === 'pending' ? 'Nothing to review' : 'No reviews yet'} testId="reviews-empty">
          {tab === 'pending' ? 'When a flow holds a payment for review, it shows up here and the owner is alerted.' : 'Reviews appear when a flow reaches a payment review step.'}
        </EmptyState>
      )}
      <div className="stack" data-testid="reviews-list">
        {items.map((r) => (
          <ReviewCard key={r.id} review={r} canDecide={canDecide(me.data)} />
        ))}
      </div>
    </main>
  );
}
