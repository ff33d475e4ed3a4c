import type { DealStripe } from '../../../api/types';
import { Badge } from '../../../components/Badge';
import { invoiceLinkOf, paymentTone } from '../lib/dealStripe';

/** The deal's Stripe invoice as flows wrote it back: a link to Stripe's hosted page and where its payment stands. */
export function DealInvoice({ stripe }: { stripe: DealStripe | null | undefined }) {
  const link = invoiceLinkOf(stripe);
  const status = stripe?.paymentStatus?.trim();
  if (!link && !status && !stripe?.invoiceId) return null;
  return (
    <div className="deal-invoice" data-testid="deal-invoice">
      {link ? (
        <a href={link} target="_blank" rel="noopener noreferrer" className="small" title={stripe?.invoiceId ?? link} data-testid="deal-invoice-link">
          Invoice <span aria-hidden="true">↗</span>
        </a>
      ) : (
        <span className="muted small mono-soft">{stripe?.invoiceId ?? 'Invoice'}</span>
      )}
      {status && <Badge status={status} tone={paymentTone(status)} testId="deal-payment-status" />}
    </div>
  );
}
