export type PaymentStatus = 'cleared' | 'pending' | 'failed' | 'refunded' | 'disputed' | 'other';

/** What every flow sees of a Stripe event, whatever object it carries. */
export interface Payment {
  status: PaymentStatus;
  /** Minor units (cents), as Stripe sends it. */
  amount: number | null;
  currency: string | null;
  customerId: string | null;
  email: string | null;
  name: string | null;
  objectType: string | null;
  objectId: string | null;
  /** The PaymentIntent behind it (a checkout session's, a charge's, a refund's): what a payment and its refund share. */
  paymentIntentId: string | null;
  metadata: Record<string, string>;
  livemode: boolean;
}

/** The v1 event envelope; loose on purpose, since API versions add and move fields. */
export interface StripeEventLike {
  id: string;
  type: string;
  object?: string;
  livemode?: boolean;
  created?: number;
  api_version?: string | null;
  data?: { object?: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [key: string]: unknown;
}

type StripeObject = Record<string, unknown>;

const CHECKOUT_COMPLETED: Record<string, PaymentStatus> = {
  paid: 'cleared',
  // A free order (100% coupon, trial) has nothing left to collect.
  no_payment_required: 'cleared',
  // Bank debits and vouchers complete the session first and pay later (async_payment_*).
  unpaid: 'pending',
};

const STATUS_BY_EVENT: Record<string, PaymentStatus | ((o: StripeObject) => PaymentStatus)> = {
  'checkout.session.completed': (o) => CHECKOUT_COMPLETED[String(o.payment_status)] ?? 'other',
  'checkout.session.async_payment_succeeded': 'cleared',
  'payment_intent.succeeded': 'cleared',
  'charge.succeeded': 'cleared',
  'invoice.paid': 'cleared',
  'payment_intent.processing': 'pending',
  'checkout.session.async_payment_failed': 'failed',
  'payment_intent.payment_failed': 'failed',
  'charge.failed': 'failed',
  'invoice.payment_failed': 'failed',
  'charge.refunded': 'refunded',
  'charge.dispute.created': 'disputed',
};

/** Event types the classification knows, for the trigger's event picker. */
export const paymentEventTypes: readonly string[] = Object.keys(STATUS_BY_EVENT);

function isObject(value: unknown): value is StripeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function at(o: StripeObject, ...path: string[]): unknown {
  let cur: unknown = o;
  for (const key of path) cur = isObject(cur) ? cur[key] : undefined;
  return cur;
}

function firstString(o: StripeObject, paths: string[][]): string | null {
  for (const p of paths) {
    const v = str(at(o, ...p));
    if (v) return v;
  }
  return null;
}

function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

// Which amount means "what this payment is worth" differs per object type.
const AMOUNT: Record<string, (o: StripeObject) => number | null> = {
  'checkout.session': (o) => int(o.amount_total),
  // amount_received is 0 until money moves (failed, processing): fall back to the asked amount.
  payment_intent: (o) => (int(o.amount_received) || null) ?? int(o.amount),
  invoice: (o) => (int(o.amount_paid) || null) ?? int(o.amount_due),
};

// Each object type keeps contact details in its own place; the first one present wins.
const EMAIL_PATHS = [
  ['customer_details', 'email'],
  ['customer_email'],
  ['receipt_email'],
  ['billing_details', 'email'],
  ['customer', 'email'],
  ['evidence', 'customer_email_address'],
];
const NAME_PATHS = [
  ['customer_details', 'name'],
  ['billing_details', 'name'],
  ['customer_name'],
  ['customer', 'name'],
  ['evidence', 'customer_name'],
];

function customerId(o: StripeObject): string | null {
  const c = o.customer ?? at(o, 'charge', 'customer');
  return str(c) ?? (isObject(c) ? str(c.id) : null);
}

function paymentIntentId(o: StripeObject, objectType: string | null): string | null {
  if (objectType === 'payment_intent') return str(o.id);
  const p = o.payment_intent;
  return str(p) ?? (isObject(p) ? str(p.id) : null);
}

function metadata(o: StripeObject): Record<string, string> {
  if (!isObject(o.metadata)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.metadata)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function classifyPayment(type: string, object: StripeObject): PaymentStatus {
  // Own keys only: an event type such as "constructor" must not find Object.prototype's.
  if (!Object.hasOwn(STATUS_BY_EVENT, type)) return 'other';
  const rule = STATUS_BY_EVENT[type];
  return typeof rule === 'function' ? rule(object) : rule;
}

/** Classifies a Stripe event and lifts the fields a flow needs out of its object. */
export function normalizePayment(event: StripeEventLike): Payment {
  const o = isObject(event.data?.object) ? event.data.object : {};
  const objectType = str(o.object);
  const amountOf = (objectType && Object.hasOwn(AMOUNT, objectType) && AMOUNT[objectType]) || ((x: StripeObject) => int(x.amount));
  return {
    status: classifyPayment(event.type, o),
    amount: amountOf(o),
    currency: str(o.currency)?.toLowerCase() ?? null,
    customerId: customerId(o),
    email: firstString(o, EMAIL_PATHS),
    name: firstString(o, NAME_PATHS),
    objectType,
    objectId: str(o.id),
    paymentIntentId: paymentIntentId(o, objectType),
    metadata: metadata(o),
    livemode: typeof event.livemode === 'boolean' ? event.livemode : o.livemode === true,
  };
}

/** What a Stripe trigger hands the flow as `trigger`. */
export function stripeTriggerOutput(event: StripeEventLike): { event: StripeEventLike; payment: Payment } {
  return { event, payment: normalizePayment(event) };
}

/** Enough of an event envelope to store and run; anything else is a malformed payload. */
export function isStripeEventLike(body: unknown): body is StripeEventLike {
  return isObject(body) && typeof body.id === 'string' && body.id !== '' && typeof body.type === 'string' && body.type !== '';
}

/**
 * v2 "thin" events carry only a reference to the object, not the object itself; a flow
 * cannot run on them without fetching, so intake refuses them.
 */
export function isThinEvent(body: unknown): boolean {
  if (!isObject(body)) return false;
  if (body.object === 'v2.core.event') return true;
  return !isObject(body.data) || !isObject(body.data.object);
}
