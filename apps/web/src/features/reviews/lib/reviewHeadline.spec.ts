import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../lib/format';
import { reviewHeadline } from './reviewHeadline';

describe('reviewHeadline', () => {
  it('leads with the customer, the amount and the flow', () => {
    const facts = { name: 'Ada Lovelace', email: 'ada@example.com', amount: 90000, currency: 'eur', objectId: 'cs_test_123' };
    expect(reviewHeadline(facts, 'Payment to onboarding', 'Payment cs_test_123 is pending')).toBe(`Ada Lovelace · ${formatMoney(90000, 'eur')} · Payment to onboarding`);
  });
  it('falls back to the e-mail, then the customer id, and leaves out what it does not know', () => {
    expect(reviewHeadline({ email: 'ada@example.com' }, null, 'r')).toBe('ada@example.com');
    expect(reviewHeadline({ customerId: 'cus_1', amount: 500, currency: 'usd' }, 'Flow', 'r')).toBe(`cus_1 · ${formatMoney(500, 'usd')} · Flow`);
  });
  it('keeps the reason when the review carries no payment facts', () => {
    expect(reviewHeadline(null, 'Flow', 'Check the contract')).toBe('Check the contract');
    expect(reviewHeadline({ note: 'x' }, 'Flow', 'Check the contract')).toBe('Check the contract');
  });
});
