import chargeFixture from './fixtures/charge.json';
import checkoutFixture from './fixtures/checkout.session.json';
import disputeFixture from './fixtures/dispute.json';
import eventFixture from './fixtures/event.json';
import invoiceFixture from './fixtures/invoice.json';
import paymentIntentFixture from './fixtures/payment_intent.json';
import type { StripeEventLike } from './normalize-payment';

// Stripe's mock objects (see fixtures/SOURCE.md) with placeholders replaced by one coherent
// client, so a sample run reads like a real payment-to-onboarding case.
const CLIENT = {
  customer: 'cus_QXg1o8vcGmoR32',
  email: 'client@example.com',
  name: 'Jenny Rosen',
  amount: 250_000,
  currency: 'usd',
  metadata: { product: 'Onboarding package' },
};

type JsonObject = Record<string, unknown>;

const checkout = (overrides: JsonObject): JsonObject => ({
  ...checkoutFixture,
  amount_subtotal: CLIENT.amount,
  amount_total: CLIENT.amount,
  currency: CLIENT.currency,
  customer: CLIENT.customer,
  customer_details: { ...checkoutFixture.customer_details, email: CLIENT.email, name: CLIENT.name },
  metadata: CLIENT.metadata,
  status: 'complete',
  ...overrides,
});

const paymentIntent = (overrides: JsonObject): JsonObject => ({
  ...paymentIntentFixture,
  amount: CLIENT.amount,
  currency: CLIENT.currency,
  customer: CLIENT.customer,
  receipt_email: CLIENT.email,
  metadata: CLIENT.metadata,
  ...overrides,
});

const charge = (overrides: JsonObject): JsonObject => ({
  ...chargeFixture,
  amount: CLIENT.amount,
  amount_captured: CLIENT.amount,
  captured: true,
  currency: CLIENT.currency,
  customer: CLIENT.customer,
  billing_details: { ...chargeFixture.billing_details, email: CLIENT.email, name: CLIENT.name },
  receipt_email: CLIENT.email,
  metadata: CLIENT.metadata,
  payment_intent: paymentIntentFixture.id,
  ...overrides,
});

const invoice = (overrides: JsonObject): JsonObject => ({
  ...invoiceFixture,
  amount_due: CLIENT.amount,
  currency: CLIENT.currency,
  customer: CLIENT.customer,
  customer_email: CLIENT.email,
  customer_name: CLIENT.name,
  metadata: CLIENT.metadata,
  subtotal: CLIENT.amount,
  total: CLIENT.amount,
  ...overrides,
});

export const sampleKinds = {
  checkout_paid: { label: 'Checkout paid', type: 'checkout.session.completed' },
  checkout_unpaid: { label: 'Checkout completed, payment pending', type: 'checkout.session.completed' },
  async_payment_succeeded: { label: 'Delayed payment succeeded', type: 'checkout.session.async_payment_succeeded' },
  payment_failed: { label: 'Payment failed', type: 'payment_intent.payment_failed' },
  refund: { label: 'Charge refunded', type: 'charge.refunded' },
  dispute: { label: 'Dispute opened', type: 'charge.dispute.created' },
  invoice_paid: { label: 'Invoice paid', type: 'invoice.paid' },
  invoice_payment_failed: { label: 'Invoice payment failed', type: 'invoice.payment_failed' },
} as const;

export type SampleKind = keyof typeof sampleKinds;

/**
 * The sample that fits a Stripe trigger subscribed to `events`: the first kind of the first
 * event type that has one (`*` takes the paid checkout); null when none of them has a sample.
 */
export function sampleKindFor(events: readonly string[]): SampleKind | null {
  const kinds = Object.entries(sampleKinds) as Array<[SampleKind, { type: string }]>;
  for (const type of events) {
    if (type === '*') return 'checkout_paid';
    const hit = kinds.find(([, k]) => k.type === type);
    if (hit) return hit[0];
  }
  return null;
}

const OBJECTS: Record<SampleKind, () => JsonObject> = {
  checkout_paid: () => checkout({ payment_status: 'paid' }),
  checkout_unpaid: () => checkout({ payment_status: 'unpaid', payment_method_types: ['us_bank_account'] }),
  async_payment_succeeded: () => checkout({ payment_status: 'paid', payment_method_types: ['us_bank_account'] }),
  payment_failed: () =>
    paymentIntent({
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    }),
  refund: () => charge({ amount_refunded: CLIENT.amount, refunded: true, status: 'succeeded' }),
  dispute: () => ({
    ...disputeFixture,
    amount: CLIENT.amount,
    currency: CLIENT.currency,
    evidence: { ...disputeFixture.evidence, customer_email_address: CLIENT.email, customer_name: CLIENT.name },
    reason: 'product_not_received',
    status: 'needs_response',
  }),
  invoice_paid: () => invoice({ status: 'paid', amount_paid: CLIENT.amount, amount_remaining: 0, attempted: true, attempt_count: 1 }),
  invoice_payment_failed: () => invoice({ status: 'open', amount_paid: 0, amount_remaining: CLIENT.amount, attempted: true, attempt_count: 1 }),
};

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function isPlain(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and everything else replace. */
function merge(base: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = isPlain(cur) && isPlain(v) ? merge(cur, v) : v;
  }
  return out;
}

/**
 * A full test-mode event envelope of `kind` with a fresh `evt_` id, for "test with sample
 * event" and tests. `overrides` merge into it (objects key by key), e.g. `{ data: { object: { id: 'cs_test_other' } } }`.
 */
export function sampleEvent(kind: SampleKind, overrides: Partial<StripeEventLike> = {}): StripeEventLike {
  const event: JsonObject = {
    ...eventFixture,
    id: `evt_test_${randomId(24)}`,
    type: sampleKinds[kind].type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    data: { object: OBJECTS[kind]() },
  };
  // Deep copy: callers mutate samples, and the fixture objects are shared module state.
  return structuredClone(merge(event, overrides as JsonObject)) as StripeEventLike;
}
