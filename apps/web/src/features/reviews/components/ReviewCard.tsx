import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../../api/client';
import type { Review } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useDecideReview } from '../hooks/useReviews';
import { reviewHeadline } from '../lib/reviewHeadline';
import { FactsList } from './FactsList';

export function ReviewCard({ review, canDecide }: { review: Review; canDecide: boolean }) {
  const [note, setNote] = useState('');
  const decide = useDecideReview();
  const pending = review.status === 'pending';
  const conflict = decide.error instanceof ApiError && decide.error.status === 409;
  const headline = reviewHeadline(review.facts, review.flowName, review.reason);

  const submit = (decision: 'approve' | 'reject') =>
    decide.mutate(
      { id: review.id, decision, note: note.trim() },
      { onSuccess: () => toast(decision === 'approve' ? 'Approved: the run continues' : 'Rejected: the run takes the rejected path') },
    );

  return (
    <article className="card review" data-testid={`review-${review.id}`} data-status={review.status}>
      <header className="card-head">
        <div>
          <h2 className="card-title">
            <span data-testid="review-headline">{headline}</span>
            {review.test && (
              <span className="test-tag" title="Held by a test run of a draft" data-testid="review-test">
                Test
              </span>
            )}
          </h2>
          {headline !== review.reason && <p className="small">{review.reason}</p>}
          <p className="muted small">
            Owner {review.owner} · held {formatRelative(review.createdAt)} ·{' '}
            <Link to={`/runs/${review.runId}`} data-testid="review-run-link">
              open run
            </Link>
          </p>
        </div>
        <Badge status={review.status} />
      </header>
      {review.facts && Object.keys(review.facts).length > 0 && <FactsList facts={review.facts} />}
      {pending && canDecide ? (
        <div className="review-decide">
          <label className="field">
            <span className="field-label">
              Note <span className="field-optional">optional</span>
            </span>
            <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What did you check?" data-testid="review-note" />
          </label>
          {decide.isError && (
            <p className="field-error" role="alert">
              {conflict ? 'Someone already decided this review.' : errorMessage(decide.error)}
            </p>
          )}
          <div className="row row-end">
            <button type="button" className="btn btn-danger-text" disabled={decide.isPending} onClick={() => submit('reject')} data-testid="review-reject">
              Reject
            </button>
            <button type="button" className="btn btn-primary" disabled={decide.isPending} onClick={() => submit('approve')} data-testid="review-approve">
              Approve
            </button>
          </div>
        </div>
      ) : (
        !pending && (
          <p className="muted small review-outcome">
            {review.decision ? `${review.decision === 'approve' ? 'Approved' : 'Rejected'} by ${review.decidedBy ?? 'someone'}` : `Closed (${review.status})`}
            {review.decidedAt ? ` · ${formatDateTime(review.decidedAt)}` : ''}
            {review.note ? ` · “${review.note}”` : ''}
          </p>
        )
      )}
    </article>
  );
}
