import { describe, expect, it } from 'vitest';
import { invoiceLinkOf, paymentTone, recordTypeLabel } from './dealStripe';

describe('invoiceLinkOf', () => {
  it('links the hosted invoice page a flow wrote back', () => {
    expect(invoiceLinkOf({ invoiceUrl: 'https://invoice.stripe.com/i/acct_1/test_abc' })).toBe('https://invoice.stripe.com/i/acct_1/test_abc');
    expect(invoiceLinkOf({ invoiceUrl: 'http://127.0.0.1:4000/i/in_1' })).toBe('http://127.0.0.1:4000/i/in_1');
  });

  it('gives no link for an empty, missing or non-web address', () => {
    expect(invoiceLinkOf(null)).toBeNull();
    expect(invoiceLinkOf({ invoiceUrl: null })).toBeNull();
    expect(invoiceLinkOf({ invoiceUrl: '  ' })).toBeNull();
    expect(invoiceLinkOf({ invoiceUrl: 'javascript:alert(1)' })).toBeNull();
    expect(invoiceLinkOf({ invoiceUrl: 'in_123' })).toBeNull();
  });
});

describe('paymentTone', () => {
  it('reads paid as success, failed as danger and open as info', () => {
    expect(paymentTone('paid')).toBe('success');
    expect(paymentTone('failed')).toBe('danger');
    expect(paymentTone('open')).toBe('info');
    expect(paymentTone('Paid ')).toBe('success');
  });

  it('keeps drafts, voids and statuses it does not know neutral', () => {
    expect(paymentTone('draft')).toBe('neutral');
    expect(paymentTone('void')).toBe('neutral');
    expect(paymentTone('partially_refunded')).toBe('neutral');
  });
});

describe('recordTypeLabel', () => {
  it('names the two record types and passes others through', () => {
    expect(recordTypeLabel('nonprofit')).toBe('Nonprofit');
    expect(recordTypeLabel('profit')).toBe('Profit');
    expect(recordTypeLabel('grant')).toBe('grant');
    expect(recordTypeLabel(null)).toBeNull();
  });
});
