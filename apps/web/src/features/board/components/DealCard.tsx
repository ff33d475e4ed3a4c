import { Link } from 'react-router';
import type { Deal } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { formatMoney, formatRelative } from '../../../lib/format';

export function DealCard({ deal }: { deal: Deal }) {
  return (
    <article className="deal" data-testid={`deal-${deal.id}`}>
      <div className="deal-head">
        <strong>{deal.contact.name || deal.contact.email || 'Unknown client'}</strong>
        <span className="deal-amount">{formatMoney(deal.amount, deal.currency)}</span>
      </div>
      {deal.contact.name && deal.contact.email && <div className="muted small">{deal.contact.email}</div>}
      {deal.product && <div className="small">{deal.product}</div>}
      <div className="deal-foot">
        {deal.intake ? <Badge status={deal.intake.status} label={`Intake ${deal.intake.status}`} /> : <span className="muted small">no intake</span>}
        <span className="muted small">{formatRelative(deal.updatedAt)}</span>
      </div>
      {deal.runId && (
        <Link className="small" to={`/runs/${deal.runId}`}>
          View run
        </Link>
      )}
    </article>
  );
}
