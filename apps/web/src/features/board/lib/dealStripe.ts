import type { DealStripe } from '../../../api/types';
import type { Tone } from '../../../components/Badge';

/**
 * The invoice address a card may link to. Flows write it as free text, so only an http(s)
 * address becomes a link: a `javascript:` value written by a bad mapping must not run on click.
 */
export function invoiceLinkOf(stripe: Partial<DealStripe> | null | undefined): string | null {
  const url = stripe?.invoiceUrl?.trim();
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

// Stripe's invoice statuses plus the 'failed' our templates write on invoice.payment_failed.
const tones: Record<string, Tone> = {
  paid: 'success',
  failed: 'danger',
  uncollectible: 'danger',
  open: 'info',
};

/** Paid reads as done, failed as trouble, open as waiting on the client; drafts, voids and anything new stay neutral. */
export function paymentTone(status: string): Tone {
  return tones[status.trim().toLowerCase()] ?? 'neutral';
}

/** "Nonprofit" / "Profit" for the record types the CRM knows; anything else as written. */
export function recordTypeLabel(recordType: string | null | undefined): string | null {
  if (!recordType) return null;
  if (recordType === 'nonprofit') return 'Nonprofit';
  if (recordType === 'profit') return 'Profit';
  return recordType;
}
