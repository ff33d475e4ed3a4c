import { describe, expect, it } from 'vitest';
import { normalizePayment } from './normalize-payment';
import { sampleEvent, sampleKindFor, sampleKinds, type SampleKind } from './samples';

const expected: Record<SampleKind, { status: string; objectType: string; email: string | null }> = {
  checkout_paid: { status: 'cleared', objectType: 'checkout.session', email: 'client@example.com' },
  checkout_unpaid: { status: 'pending', objectType: 'checkout.session', email: 'client@example.com' },
  async_payment_succeeded: { status: 'cleared', objectType: 'checkout.session', email: 'client@example.com' },
  payment_failed: { status: 'failed', objectType: 'payment_intent', email: 'client@example.com' },
  refund: { status: 'refunded', objectType: 'charge', email: 'client@example.com' },
  dispute: { status: 'disputed', objectType: 'dispute', email: 'client@example.com' },
  invoice_paid: { status: 'cleared', objectType: 'invoice', email: 'client@example.com' },
  invoice_payment_failed: { status: 'failed', objectType: 'invoice', email: 'client@example.com' },
};

describe('sampleEvent', () => {
  it.each(Object.keys(sampleKinds) as SampleKind[])('builds a %s event that normalizes to the intended payment', (kind) => {
    const event = sampleEvent(kind);
    expect(event).toMatchObject({ object: 'event', type: sampleKinds[kind].type, livemode: false });
    expect(normalizePayment(event)).toMatchObject({ ...expected[kind], amount: 250000, currency: 'usd' });
  });

  it('carries the client and product on the checkout sample', () => {
    expect(normalizePayment(sampleEvent('checkout_paid'))).toMatchObject({
      customerId: 'cus_QXg1o8vcGmoR32',
      name: 'Jenny Rosen',
      metadata: { product: 'Onboarding package' },
    });
  });

  it('gives every call a fresh evt_ id', () => {
    const a = sampleEvent('checkout_paid');
    const b = sampleEvent('checkout_paid');
    expect(a.id).toMatch(/^evt_test_[A-Za-z0-9]{24}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('merges overrides into nested objects and leaves the rest', () => {
    const event = sampleEvent('checkout_paid', { livemode: true, data: { object: { id: 'cs_test_other', metadata: { product: 'Audit' } } } });
    expect(event.livemode).toBe(true);
    expect(normalizePayment(event)).toMatchObject({ objectId: 'cs_test_other', metadata: { product: 'Audit' }, email: 'client@example.com', status: 'cleared' });
  });

  it('does not share objects between samples', () => {
    const a = sampleEvent('checkout_paid');
    (a.data?.object?.metadata as Record<string, string>).product = 'changed';
    expect(normalizePayment(sampleEvent('checkout_paid')).metadata.product).toBe('Onboarding package');
  });
});

describe('sampleKindFor', () => {
  it('picks the sample of the first subscribed event type that has one', () => {
    expect(sampleKindFor(['checkout.session.completed', 'checkout.session.async_payment_succeeded'])).toBe('checkout_paid');
    expect(sampleKindFor(['customer.created', 'invoice.paid'])).toBe('invoice_paid');
    expect(sampleKindFor(['charge.refunded'])).toBe('refund');
    expect(sampleKindFor(['*'])).toBe('checkout_paid');
  });

  it('answers null when no subscribed type has a sample', () => {
    expect(sampleKindFor(['customer.created'])).toBeNull();
    expect(sampleKindFor([])).toBeNull();
  });
});
