import { useState } from 'react';
import { Link } from 'react-router';
import type { Deal } from '../../../api/types';
import { formatDateTime, formatMoney } from '../../../lib/format';
import { DealInvoice } from '../../board/components/DealInvoice';
import { recordTypeLabel } from '../../board/lib/dealStripe';
import { DealEditForm } from './DealEditForm';

/** The deal's fields, its client and its Stripe invoice; editors change the fields in place. */
export function DealDetailsCard({ deal, canEdit }: { deal: Deal; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const contact = deal.contact.name || deal.contact.email || 'Unknown client';
  return (
    <section className="card side-card" data-testid="deal-details">
      <div className="side-card-head">
        <h2>Details</h2>
        {canEdit && !editing && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid="deal-edit">
            Edit
          </button>
        )}
      </div>
      {editing ? (
        <DealEditForm deal={deal} onDone={() => setEditing(false)} />
      ) : (
        <dl className="facts deal-facts">
          <dt>Client</dt>
          <dd>
            <Link to={`/contacts/${deal.contactId}`} data-testid="deal-contact-link">
              {contact}
            </Link>
            {deal.contact.name && deal.contact.email && (
              <div className="muted small deal-line" title={deal.contact.email}>
                {deal.contact.email}
              </div>
            )}
          </dd>
          <dt>Amount</dt>
          <dd data-testid="deal-amount">{formatMoney(deal.amount, deal.currency)}</dd>
          <dt>Product</dt>
          <dd>{deal.product || <span className="muted">—</span>}</dd>
          <dt>Record type</dt>
          <dd data-testid="deal-record-type">{recordTypeLabel(deal.recordType) ?? <span className="muted">Not set</span>}</dd>
          <dt>Payment</dt>
          <dd>{deal.stripe.invoiceId || deal.stripe.invoiceUrl || deal.stripe.paymentStatus ? <DealInvoice stripe={deal.stripe} /> : <span className="muted">No invoice yet</span>}</dd>
          {deal.contact.stripeCustomerId && (
            <>
              <dt>Customer</dt>
              <dd className="mono-soft">{deal.contact.stripeCustomerId}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDateTime(deal.createdAt)}</dd>
        </dl>
      )}
    </section>
  );
}
