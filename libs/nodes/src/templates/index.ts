import type { FlowDocument } from '../flow-document';
import dealAmendedInvoice from './deal-amended-invoice.json';
import dealToInvoice from './deal-to-invoice.json';
import failedInvoice from './failed-invoice.json';
import invoicePaymentStatus from './invoice-payment-status.json';
import invoiceSentPaidOrReminded from './invoice-sent-paid-or-reminded.json';
import paymentToOnboarding from './payment-to-onboarding.json';
import refund from './refund.json';
import unpaidInvoiceReminder from './unpaid-invoice-reminder.json';

export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  /** A complete flow document: import it as a new draft. */
  document: FlowDocument;
}

/**
 * Starting points for "new from template" (editor) and `GET /api/templates`. Browser-safe:
 * plain JSON documents. They reference no credentials: after importing, the Stripe trigger
 * needs its signing secret and Stripe actions their API key (the only problems validation
 * reports for them), and notifications without a Slack/SMTP credential are held in the outbox
 * until one is set.
 */
function template(id: string, json: unknown): FlowTemplate {
  const document = json as FlowDocument;
  return { id, name: document.name, description: document.description ?? '', document };
}

export const flowTemplates: readonly FlowTemplate[] = [
  template('payment-to-onboarding', paymentToOnboarding),
  template('refund', refund),
  template('failed-invoice', failedInvoice),
  template('unpaid-invoice-reminder', unpaidInvoiceReminder),
  template('deal-to-invoice', dealToInvoice),
  template('deal-amended-invoice', dealAmendedInvoice),
  template('invoice-sent-paid-or-reminded', invoiceSentPaidOrReminded),
  template('invoice-payment-status', invoicePaymentStatus),
];

/** A fresh copy of a template's document (callers edit it), or undefined for an unknown id. */
export function templateDocument(id: string): FlowDocument | undefined {
  const t = flowTemplates.find((x) => x.id === id);
  return t ? structuredClone(t.document) : undefined;
}
