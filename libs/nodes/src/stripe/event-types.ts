import { z } from 'zod';

/**
 * Stripe's webhook event types: the one catalogue the editor's event picker offers and the
 * API checks typed values against. Taken from the `stripe` SDK's
 * `WebhookEndpointCreateParams.EnabledEvent` (SDK 23.1.0); event-types.spec.ts fails the type
 * check when the SDK knows an event this list lacks. A type that is not listed here (newer
 * than the SDK, or a preview) is still accepted wherever an event type is asked for.
 */
export const STRIPE_EVENT_TYPES = [
  'account.application.authorized',
  'account.application.deauthorized',
  'account.external_account.created',
  'account.external_account.deleted',
  'account.external_account.updated',
  'account.updated',
  'application_fee.created',
  'application_fee.refund.updated',
  'application_fee.refunded',
  'apps.install.created',
  'apps.install.deleted',
  'apps.install.updated',
  'balance.available',
  'balance_settings.updated',
  'billing.alert.triggered',
  'billing.credit_balance_transaction.created',
  'billing.credit_grant.created',
  'billing.credit_grant.updated',
  'billing.meter.created',
  'billing.meter.deactivated',
  'billing.meter.reactivated',
  'billing.meter.updated',
  'billing_portal.configuration.created',
  'billing_portal.configuration.updated',
  'billing_portal.session.created',
  'capability.updated',
  'cash_balance.funds_available',
  'charge.captured',
  'charge.dispute.closed',
  'charge.dispute.created',
  'charge.dispute.funds_reinstated',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.updated',
  'charge.expired',
  'charge.failed',
  'charge.pending',
  'charge.refund.updated',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  'checkout.session.async_payment_failed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.completed',
  'checkout.session.expired',
  'climate.order.canceled',
  'climate.order.created',
  'climate.order.delayed',
  'climate.order.delivered',
  'climate.order.product_substituted',
  'climate.product.created',
  'climate.product.pricing_updated',
  'coupon.created',
  'coupon.deleted',
  'coupon.updated',
  'credit_note.created',
  'credit_note.updated',
  'credit_note.voided',
  'customer.created',
  'customer.deleted',
  'customer.discount.created',
  'customer.discount.deleted',
  'customer.discount.updated',
  'customer.source.created',
  'customer.source.deleted',
  'customer.source.expiring',
  'customer.source.updated',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.updated',
  'customer.tax_id.created',
  'customer.tax_id.deleted',
  'customer.tax_id.updated',
  'customer.updated',
  'customer_cash_balance_transaction.created',
  'entitlements.active_entitlement_summary.updated',
  'file.created',
  'financial_connections.account.account_numbers_updated',
  'financial_connections.account.created',
  'financial_connections.account.deactivated',
  'financial_connections.account.disconnected',
  'financial_connections.account.expected_deactivation_date_updated',
  'financial_connections.account.reactivated',
  'financial_connections.account.refreshed_balance',
  'financial_connections.account.refreshed_ownership',
  'financial_connections.account.refreshed_transactions',
  'financial_connections.account.supported_payment_method_types_updated',
  'financial_connections.account.upcoming_account_number_expiry',
  'financial_connections.account.upcoming_deactivation',
  'financial_connections.authorization.expected_deactivation_date_updated',
  'financial_connections.authorization.upcoming_deactivation',
  'identity.verification_session.canceled',
  'identity.verification_session.created',
  'identity.verification_session.processing',
  'identity.verification_session.redacted',
  'identity.verification_session.requires_input',
  'identity.verification_session.verified',
  'invoice.created',
  'invoice.deleted',
  'invoice.finalization_failed',
  'invoice.finalized',
  'invoice.marked_uncollectible',
  'invoice.overdue',
  'invoice.overpaid',
  'invoice.paid',
  'invoice.payment_action_required',
  'invoice.payment_attempt_required',
  'invoice.payment_failed',
  'invoice.payment_succeeded',
  'invoice.sent',
  'invoice.upcoming',
  'invoice.updated',
  'invoice.voided',
  'invoice.will_be_due',
  'invoice_payment.paid',
  'invoiceitem.created',
  'invoiceitem.deleted',
  'issuing_authorization.created',
  'issuing_authorization.request',
  'issuing_authorization.updated',
  'issuing_card.created',
  'issuing_card.updated',
  'issuing_cardholder.created',
  'issuing_cardholder.updated',
  'issuing_dispute.closed',
  'issuing_dispute.created',
  'issuing_dispute.funds_reinstated',
  'issuing_dispute.funds_rescinded',
  'issuing_dispute.submitted',
  'issuing_dispute.updated',
  'issuing_personalization_design.activated',
  'issuing_personalization_design.deactivated',
  'issuing_personalization_design.rejected',
  'issuing_personalization_design.updated',
  'issuing_token.created',
  'issuing_token.updated',
  'issuing_transaction.created',
  'issuing_transaction.purchase_details_receipt_updated',
  'issuing_transaction.updated',
  'mandate.updated',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.partially_funded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.succeeded',
  'payment_link.created',
  'payment_link.updated',
  'payment_method.attached',
  'payment_method.automatically_updated',
  'payment_method.detached',
  'payment_method.updated',
  'payout.canceled',
  'payout.created',
  'payout.failed',
  'payout.paid',
  'payout.reconciliation_completed',
  'payout.updated',
  'person.created',
  'person.deleted',
  'person.updated',
  'plan.created',
  'plan.deleted',
  'plan.updated',
  'price.created',
  'price.deleted',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
  'promotion_code.created',
  'promotion_code.updated',
  'quote.accepted',
  'quote.canceled',
  'quote.created',
  'quote.finalized',
  'radar.early_fraud_warning.created',
  'radar.early_fraud_warning.updated',
  'refund.created',
  'refund.failed',
  'refund.updated',
  'reporting.report_run.failed',
  'reporting.report_run.succeeded',
  'reporting.report_type.updated',
  'reserve.hold.created',
  'reserve.hold.updated',
  'reserve.plan.created',
  'reserve.plan.disabled',
  'reserve.plan.expired',
  'reserve.plan.updated',
  'reserve.release.created',
  'review.closed',
  'review.opened',
  'setup_intent.canceled',
  'setup_intent.created',
  'setup_intent.requires_action',
  'setup_intent.setup_failed',
  'setup_intent.succeeded',
  'sigma.scheduled_query_run.created',
  'source.canceled',
  'source.chargeable',
  'source.failed',
  'source.mandate_notification',
  'source.refund_attributes_required',
  'source.transaction.created',
  'source.transaction.updated',
  'subscription_schedule.aborted',
  'subscription_schedule.canceled',
  'subscription_schedule.completed',
  'subscription_schedule.created',
  'subscription_schedule.expiring',
  'subscription_schedule.released',
  'subscription_schedule.updated',
  'tax.settings.updated',
  'tax_rate.created',
  'tax_rate.updated',
  'terminal.reader.action_failed',
  'terminal.reader.action_succeeded',
  'terminal.reader.action_updated',
  'test_helpers.test_clock.advancing',
  'test_helpers.test_clock.created',
  'test_helpers.test_clock.deleted',
  'test_helpers.test_clock.internal_failure',
  'test_helpers.test_clock.ready',
  'three_d_secure.authentication.canceled',
  'three_d_secure.authentication.challenge_started',
  'three_d_secure.authentication.errored',
  'three_d_secure.authentication.failed',
  'three_d_secure.authentication.requires_challenge',
  'three_d_secure.authentication.requires_submission',
  'three_d_secure.authentication.succeeded',
  'topup.canceled',
  'topup.created',
  'topup.failed',
  'topup.reversed',
  'topup.succeeded',
  'transfer.created',
  'transfer.reversed',
  'transfer.updated',
  'treasury.credit_reversal.created',
  'treasury.credit_reversal.posted',
  'treasury.debit_reversal.completed',
  'treasury.debit_reversal.created',
  'treasury.debit_reversal.initial_credit_granted',
  'treasury.financial_account.closed',
  'treasury.financial_account.created',
  'treasury.financial_account.features_status_updated',
  'treasury.inbound_transfer.canceled',
  'treasury.inbound_transfer.created',
  'treasury.inbound_transfer.failed',
  'treasury.inbound_transfer.succeeded',
  'treasury.outbound_payment.canceled',
  'treasury.outbound_payment.created',
  'treasury.outbound_payment.expected_arrival_date_updated',
  'treasury.outbound_payment.failed',
  'treasury.outbound_payment.posted',
  'treasury.outbound_payment.returned',
  'treasury.outbound_payment.tracking_details_updated',
  'treasury.outbound_transfer.canceled',
  'treasury.outbound_transfer.created',
  'treasury.outbound_transfer.expected_arrival_date_updated',
  'treasury.outbound_transfer.failed',
  'treasury.outbound_transfer.posted',
  'treasury.outbound_transfer.returned',
  'treasury.outbound_transfer.tracking_details_updated',
  'treasury.received_credit.created',
  'treasury.received_credit.failed',
  'treasury.received_credit.succeeded',
  'treasury.received_debit.created',
] as const;

export type StripeEventType = (typeof STRIPE_EVENT_TYPES)[number];

/** Stripe's wildcard: an endpoint that receives every event. */
export const ALL_STRIPE_EVENTS = '*';

/** The shape Stripe event types have (`object.action`); anything else is a typo, not a newer event. */
const EVENT_TYPE_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

/** True for a well-formed event type (listed or not), and for `*` where a wildcard is allowed. */
export function isStripeEventTypeShape(value: string, wildcard: boolean): boolean {
  return EVENT_TYPE_PATTERN.test(value) || (wildcard && value === ALL_STRIPE_EVENTS);
}

/** Names the catalogue in a field's JSON Schema, so the editor draws the grouped picker for it. */
export const STRIPE_EVENT_CATALOGUE = 'stripe.eventTypes';

/**
 * A list of Stripe event types. Any well-formed type is accepted, listed or not; `wildcard`
 * also accepts `*` (a webhook endpoint can ask for every event, a wait for one event cannot).
 */
export function stripeEventTypesField(opts: { wildcard: boolean; defaults: string[]; description: string; optional?: boolean }) {
  const item = z.string().refine((v) => isStripeEventTypeShape(v, opts.wildcard), {
    message: `must be a Stripe event type such as checkout.session.completed${opts.wildcard ? ', or * for every event' : ''}`,
  });
  return z
    .array(item)
    .min(opts.optional ? 0 : 1, 'needs at least one event type')
    .default(opts.defaults)
    .meta({ description: opts.description, catalogue: STRIPE_EVENT_CATALOGUE, wildcard: opts.wildcard });
}

const known: ReadonlySet<string> = new Set(STRIPE_EVENT_TYPES);

export function isKnownStripeEventType(type: string): boolean {
  return type === ALL_STRIPE_EVENTS || known.has(type);
}

/** The group an event type belongs to: everything before its last segment (`customer.subscription.created` → `customer.subscription`). */
export function stripeEventGroup(type: string): string {
  const i = type.lastIndexOf('.');
  return i > 0 ? type.slice(0, i) : type;
}

/**
 * Groups a payment-to-onboarding flow uses most, first, in this order; the others follow
 * alphabetically.
 */
const LEADING_GROUPS = [
  'checkout.session',
  'payment_intent',
  'charge',
  'charge.refund',
  'refund',
  'charge.dispute',
  'invoice',
  'invoice_payment',
  'customer.subscription',
  'customer',
  'subscription_schedule',
  'payment_link',
  'payment_method',
  'setup_intent',
  'quote',
  'credit_note',
];

export interface StripeEventGroup {
  group: string;
  types: string[];
}

/**
 * Event types grouped by the object they are about, common groups first. `query` keeps the
 * types containing every word of it (`sub created` finds `customer.subscription.created`);
 * a group whose name matches keeps all its types.
 */
export function groupStripeEventTypes(types: readonly string[] = STRIPE_EVENT_TYPES, query = ''): StripeEventGroup[] {
  const words = query.toLowerCase().split(/[\s]+/).filter(Boolean);
  const matches = (text: string) => words.every((w) => text.includes(w));
  const groups = new Map<string, string[]>();
  for (const type of types) {
    const group = stripeEventGroup(type);
    if (words.length && !matches(type) && !matches(group)) continue;
    const list = groups.get(group);
    if (list) list.push(type);
    else groups.set(group, [type]);
  }
  const rank = (g: string) => {
    const i = LEADING_GROUPS.indexOf(g);
    return i === -1 ? LEADING_GROUPS.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([group, list]) => ({ group, types: list }));
}
