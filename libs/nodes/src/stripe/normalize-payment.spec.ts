import { describe, expect, it } from 'vitest';
import chargeFixture from './fixtures/charge.json';
import checkoutFixture from './fixtures/checkout.session.json';
import disputeFixture from './fixtures/dispute.json';
import eventFixture from './fixtures/event.json';
import invoiceFixture from './fixtures/invoice.json';
import paymentIntentFixture from './fixtures/payment_intent.json';
import refundFixture from './fixtures/refund.json';
import { isStripeEventLike, isThinEvent, normalizePayment, stripeTriggerOutput, type StripeEventLike } from './normalize-payment';

const event = (type: string, object: Record<string, unknown>): StripeEventLike => ({ ...eventFixture, type, data: { object } });

describe('normalizePayment classification', () => {
  it.each([
    ['checkout.session.completed', { ...checkoutFixture, payment_status: 'paid' }, 'cleared'],
    ['checkout.session.completed', { ...checkoutFixture, payment_status: 'no_payment_required' }, 'cleared'],
    ['checkout.session.completed', checkoutFixture, 'pending'],
    ['checkout.session.async_payment_succeeded', checkoutFixture, 'cleared'],
    ['checkout.session.async_payment_failed', checkoutFixture, 'failed'],
    ['payment_intent.succeeded', paymentIntentFixture, 'cleared'],
    ['payment_intent.processing', paymentIntentFixture, 'pending'],
    ['payment_intent.payment_failed', paymentIntentFixture, 'failed'],
    ['charge.succeeded', chargeFixture, 'cleared'],
    ['charge.failed', chargeFixture, 'failed'],
    ['charge.refunded', chargeFixture, 'refunded'],
    ['charge.dispute.created', disputeFixture, 'disputed'],
    ['invoice.paid', invoiceFixture, 'cleared'],
    ['invoice.payment_failed', invoiceFixture, 'failed'],
    ['refund.created', refundFixture, 'other'],
    ['plan.created', eventFixture.data.object, 'other'],
  ] as const)('classifies %s (%#) as %s', (type, object, status) => {
    expect(normalizePayment(event(type, object)).status).toBe(status);
  });

  it('does not mistake Object.prototype members for event or object types', () => {
    for (const type of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(normalizePayment(event(type, checkoutFixture)).status).toBe('other');
      const payment = normalizePayment(event('checkout.session.completed', { ...checkoutFixture, object: type, amount: 5 }));
      expect(payment.amount).toBe(5);
    }
  });

  it('calls a completed checkout with an unknown payment_status other, not cleared', () => {
    expect(normalizePayment(event('checkout.session.completed', { ...checkoutFixture, payment_status: 'weird' })).status).toBe('other');
  });
});

describe('normalizePayment fields', () => {
  it('reads a checkout session: amount_total, customer_details email and name', () => {
    const session = { ...checkoutFixture, amount_total: 250000, currency: 'USD', customer: 'cus_1', customer_details: { ...checkoutFixture.customer_details, name: 'Jenny Rosen' }, metadata: { product: 'Onboarding package' } };
    expect(normalizePayment(event('checkout.session.completed', session))).toEqual({
      status: 'pending',
      amount: 250000,
      currency: 'usd',
      customerId: 'cus_1',
      email: 'example@example.com',
      name: 'Jenny Rosen',
      objectType: 'checkout.session',
      objectId: checkoutFixture.id,
      paymentIntentId: 'pi_1PgafyB7WZ01zgkWSjxsAJo3',
      metadata: { product: 'Onboarding package' },
      livemode: false,
    });
  });

  it('names the PaymentIntent a checkout, a charge or the intent itself belongs to: what a payment and its refund share', () => {
    expect(normalizePayment(event('charge.refunded', { object: 'charge', id: 'ch_1', payment_intent: 'pi_9' })).paymentIntentId).toBe('pi_9');
    expect(normalizePayment(event('charge.refunded', { object: 'charge', id: 'ch_1', payment_intent: { id: 'pi_8', object: 'payment_intent' } })).paymentIntentId).toBe('pi_8');
    expect(normalizePayment(event('payment_intent.succeeded', { object: 'payment_intent', id: 'pi_7' })).paymentIntentId).toBe('pi_7');
    expect(normalizePayment(event('charge.refunded', { object: 'charge', id: 'ch_2', payment_intent: null })).paymentIntentId).toBeNull();
  });

  it('falls back to customer_email on a checkout without customer_details', () => {
    const session = { ...checkoutFixture, customer_details: null, customer_email: 'buyer@example.com' };
    expect(normalizePayment(event('checkout.session.completed', session)).email).toBe('buyer@example.com');
  });

  it('reads a payment intent: amount_received once paid, the asked amount before, receipt_email', () => {
    const paid = normalizePayment(event('payment_intent.succeeded', { ...paymentIntentFixture, amount_received: 1099, receipt_email: 'r@example.com' }));
    expect(paid).toMatchObject({ amount: 1099, email: 'r@example.com', objectType: 'payment_intent', objectId: 'pi_1PgafyB7WZ01zgkWSjxsAJo3' });
    expect(normalizePayment(event('payment_intent.payment_failed', { ...paymentIntentFixture, amount: 5000 })).amount).toBe(5000);
  });

  it('reads a charge: amount and billing_details', () => {
    expect(normalizePayment(event('charge.succeeded', chargeFixture))).toMatchObject({ amount: 100, name: 'Jenny Rosen', email: null, currency: 'usd', customerId: null });
    const withEmail = { ...chargeFixture, billing_details: { ...chargeFixture.billing_details, email: 'b@example.com' } };
    expect(normalizePayment(event('charge.succeeded', withEmail)).email).toBe('b@example.com');
  });

  it('reads an invoice: amount_paid once paid, amount_due before, customer_email and customer_name', () => {
    const due = normalizePayment(event('invoice.payment_failed', invoiceFixture));
    expect(due).toMatchObject({ amount: 1000, customerId: 'cus_QXg1o8vcGmoR32', objectType: 'invoice' });
    const paid = normalizePayment(event('invoice.paid', { ...invoiceFixture, amount_paid: 900, customer_email: 'i@example.com', customer_name: 'Ivy' }));
    expect(paid).toMatchObject({ amount: 900, email: 'i@example.com', name: 'Ivy' });
  });

  it('reads a dispute: its amount and the charge it is about', () => {
    expect(normalizePayment(event('charge.dispute.created', disputeFixture))).toMatchObject({ amount: 1000, objectType: 'dispute', objectId: 'dp_1Pgc71B7WZ01zgkWMevJiAUx' });
  });

  it('takes the id of an expanded customer object', () => {
    const session = { ...checkoutFixture, customer: { id: 'cus_expanded', object: 'customer', email: 'c@example.com' }, customer_details: null };
    expect(normalizePayment(event('checkout.session.completed', session))).toMatchObject({ customerId: 'cus_expanded', email: 'c@example.com' });
  });

  it('gives null amount for placeholder or missing amounts, never a wrong number', () => {
    expect(normalizePayment(event('checkout.session.completed', checkoutFixture)).amount).toBeNull();
    expect(normalizePayment(event('charge.succeeded', { ...chargeFixture, amount: 12.5 })).amount).toBeNull();
  });

  it('keeps only string metadata and follows the event livemode', () => {
    const p = normalizePayment({ ...event('charge.succeeded', { ...chargeFixture, metadata: { plan: 'gold', n: 3 } }), livemode: true });
    expect(p.metadata).toEqual({ plan: 'gold' });
    expect(p.livemode).toBe(true);
  });

  it('survives an event without an object', () => {
    expect(normalizePayment({ id: 'evt_1', type: 'charge.succeeded' })).toMatchObject({ status: 'cleared', amount: null, objectId: null, metadata: {} });
  });

  it('wraps the event and payment as a Stripe trigger output', () => {
    const e = event('invoice.paid', invoiceFixture);
    expect(stripeTriggerOutput(e)).toEqual({ event: e, payment: normalizePayment(e) });
  });
});

describe('isThinEvent', () => {
  it('is true for a v2 thin event and for an envelope without data.object', () => {
    expect(isThinEvent({ id: 'evt_1', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', related_object: { id: 'mtr_1' } })).toBe(true);
    expect(isThinEvent({ id: 'evt_1', object: 'event', type: 'charge.succeeded', data: {} })).toBe(true);
  });

  it('is false for a v1 snapshot event', () => {
    expect(isThinEvent(eventFixture)).toBe(false);
  });
});

describe('isStripeEventLike', () => {
  it('needs a non-empty id and type', () => {
    expect(isStripeEventLike(eventFixture)).toBe(true);
    expect(isStripeEventLike({ id: '', type: 'x' })).toBe(false);
    expect(isStripeEventLike({ id: 'evt_1' })).toBe(false);
    expect(isStripeEventLike('evt_1')).toBe(false);
  });
});
