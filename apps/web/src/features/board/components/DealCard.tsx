import { Link } from 'react-router';
import type { Deal } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { formatMoney, formatRelative } from '../../../lib/format';
import { recordTypeLabel } from '../lib/dealStripe';
import { DealInvoice } from './DealInvoice';

export function DealCard({ deal }: { deal: Deal }) {
  const who = deal.contact.name || deal.contact.email || 'Unknown client';
  // With a title the card leads with the deal; the client moves to the line below.
  const sub = deal.title ? [deal.contact.name, deal.contact.email].filter(Boolean).join(' · ') : deal.contact.name && deal.contact.email;
  const recordType = recordTypeLabel(deal.recordType);
  return (
    <article className="deal" data-testid={`deal-${deal.id}`}>
      <div className="deal-head">
        <strong className="deal-title">{deal.title || who}</strong>
        <span className="deal-amount">{formatMoney(deal.amount, deal.currency)}</span>
      </div>
      {sub && (
        <div className="muted small deal-line" title={sub}>
          {sub}
        </div>
      )}
      {(deal.product || recordType) && (
        <div className="deal-meta small">
          {deal.product && <span className="deal-line">{deal.product}</span>}
          {recordType && (
            <span className="deal-tag" data-testid="deal-record-type">
              {recordType}
            </span>
          )}
        </div>
      )}
      <DealInvoice stripe={deal.stripe} />
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
