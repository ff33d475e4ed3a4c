import Stripe from 'stripe';
import type { EffectPorts, StripeCustomerInput, StripeInvoiceInput, StripeInvoiceResult, StripeRefundInput } from '@handoff/nodes';
import type { CredentialsService } from '../../credentials/credentials.service';
import { OutboundRefused } from '../../outbound/outbound';
import { redact, secretStrings } from '../../credentials/redact';
import { stripeClient, StripeCredentialError, stripeKey } from '../../stripe/stripe-client';
import { PermanentStepError } from '../step-errors';

/**
 * The stripe.* effects, through the official SDK during the step. Every write carries the
 * Idempotency-Key `<step key>:<operation>`: a retried step, a replayed run (same keys) and an
 * answer lost after Stripe did the work all land on the same object. Stripe 4xx answers fail
 * the step at once with Stripe's message; 5xx, 409 (same key in flight), 429 and network
 * errors are retried by the engine with the same keys (docs/stripe.md "Actions").
 */

function failure(what: string, e: unknown): Error {
  if (e instanceof StripeCredentialError) return new PermanentStepError(e.message);
  // An address the outbound policy refuses (an apiBase aimed at metadata or the LAN) will not change by retrying.
  const refused = e instanceof OutboundRefused ? e : (e as { detail?: unknown })?.detail instanceof OutboundRefused ? ((e as { detail: OutboundRefused }).detail) : null;
  if (refused) return new PermanentStepError(`Stripe ${what}: ${refused.message}`);
  if (e instanceof Stripe.errors.StripeError) {
    const status = e.statusCode ?? 0;
    const message = `Stripe ${what}: ${e.message}`;
    if (status >= 400 && status < 500 && status !== 409 && status !== 429) return new PermanentStepError(message);
    return new Error(`${message} (${status || e.type}; will retry)`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** One Stripe action on a credential's key; its failure says what Stripe said, scrubbed of the key. */
async function attempt<T>(credentials: CredentialsService, credentialId: string, what: string, work: (stripe: Stripe) => Promise<T>): Promise<T> {
  let secrets: string[] = [];
  try {
    const key = await stripeKey(credentials, credentialId);
    secrets = secretStrings(key);
    return await work(stripeClient(key));
  } catch (e) {
    const err = failure(what, e);
    err.message = redact(err.message, secrets);
    throw err;
  }
}

const isMissing = (e: unknown) => e instanceof Stripe.errors.StripeError && e.statusCode === 404;

/** By id (unless deleted), else by e-mail (Stripe's list filter is exact and has no index lag), else created. */
async function findOrCreateCustomer(stripe: Stripe, input: Omit<StripeCustomerInput, 'credential'>): Promise<{ id: string; email: string | null; created: boolean }> {
  if (input.customerId) {
    try {
      const found = await stripe.customers.retrieve(input.customerId);
      if (!('deleted' in found && found.deleted)) return { id: found.id, email: (found as Stripe.Customer).email ?? null, created: false };
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
  if (input.email) {
    const { data } = await stripe.customers.list({ email: input.email, limit: 1 });
    if (data[0]) return { id: data[0].id, email: data[0].email ?? null, created: false };
  }
  if (!input.email) throw new PermanentStepError(`Stripe customer ${input.customerId} does not exist and there is no e-mail to create one with`);
  const created = await stripe.customers.create(
    { email: input.email, ...(input.name ? { name: input.name } : {}), ...(input.metadata && Object.keys(input.metadata).length ? { metadata: input.metadata } : {}) },
    { idempotencyKey: `${input.idempotencyKey}:customer` },
  );
  return { id: created.id, email: created.email ?? null, created: true };
}

/** The open or draft invoice made for this deal (by its metadata), other than the one being replaced. */
async function liveInvoiceOf(stripe: Stripe, customerId: string, dealId: string, except: string | null): Promise<Stripe.Invoice | null> {
  for (const status of ['open', 'draft'] as const) {
    const { data } = await stripe.invoices.list({ customer: customerId, status, limit: 100 });
    const live = data.find((i) => i.metadata?.handoff_deal_id === dealId && i.id !== except);
    if (live) return live;
  }
  return null;
}

function resultOf(invoice: Stripe.Invoice, action: StripeInvoiceResult['action'], replaced: string | null): StripeInvoiceResult {
  return {
    customerId: typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? ''),
    invoiceId: invoice.id as string,
    invoiceUrl: invoice.hosted_invoice_url ?? null,
    status: invoice.status ?? 'draft',
    number: invoice.number ?? null,
    amountDue: invoice.amount_due,
    currency: invoice.currency,
    replaced,
    action,
  };
}

/** Adds the items to a draft, then finalizes and sends it; each write keyed, so a retry picks up where it stopped. */
async function complete(stripe: Stripe, draft: Stripe.Invoice, input: StripeInvoiceInput, customerId: string, key: string): Promise<Stripe.Invoice> {
  const id = draft.id as string;
  for (const [i, item] of input.items.entries()) {
    await stripe.invoiceItems.create(
      {
        customer: customerId,
        invoice: id,
        amount: item.amount * item.quantity,
        currency: item.currency,
        description: item.quantity > 1 ? `${item.description} × ${item.quantity}` : item.description,
      },
      { idempotencyKey: `${key}:item:${i}` },
    );
  }
  let invoice = await stripe.invoices.finalizeInvoice(id, {}, { idempotencyKey: `${key}:finalize` });
  if (input.send && invoice.status === 'open') invoice = await stripe.invoices.sendInvoice(id, {}, { idempotencyKey: `${key}:send` });
  return invoice;
}

async function invoice(stripe: Stripe, input: StripeInvoiceInput): Promise<StripeInvoiceResult> {
  const key = input.idempotencyKey;
  const customer = await findOrCreateCustomer(stripe, { ...input.customer, idempotencyKey: key });
  let replaced: string | null = null;
  if (input.existingInvoiceId) {
    let existing: Stripe.Invoice;
    try {
      existing = await stripe.invoices.retrieve(input.existingInvoiceId);
    } catch (e) {
      if (isMissing(e)) throw new PermanentStepError(`Stripe has no invoice ${input.existingInvoiceId} to update`);
      throw e;
    }
    if (existing.status === 'paid') throw new PermanentStepError(`Invoice ${existing.id} is already paid: refund or credit it in Stripe instead of replacing it`);
    if (existing.status === 'draft') {
      // A draft is changed in place: its old items go, the new ones come, then finalize and send.
      const { data: oldItems } = await stripe.invoiceItems.list({ invoice: existing.id, limit: 100 });
      for (const it of oldItems) await stripe.invoiceItems.del(it.id);
      await stripe.invoices.update(existing.id as string, { days_until_due: input.daysUntilDue, metadata: input.metadata }, { idempotencyKey: `${key}:update` });
      return resultOf(await complete(stripe, existing, input, customer.id, key), 'updated', null);
    }
    if (existing.status === 'open') await stripe.invoices.voidInvoice(existing.id as string, {}, { idempotencyKey: `${key}:void` });
    replaced = existing.id as string;
  }
  // At most one live invoice per deal, even when a run with other keys gets here (a second flow, a hand-started run).
  const dealId = input.metadata.handoff_deal_id;
  const live = dealId ? await liveInvoiceOf(stripe, customer.id, dealId, replaced) : null;
  if (live) {
    const action = replaced ? 'replaced' : 'created';
    // Our own earlier attempt (a retry after a lost answer or a crash) is picked up where it stopped;
    // this way it is found even after Stripe's 24-hour key window.
    if (live.metadata?.handoff_key !== `${key}:invoice`) return resultOf(live, 'found', replaced);
    if (live.status === 'draft') return resultOf(await complete(stripe, live, input, customer.id, key), action, replaced);
    const sent = input.send ? await stripe.invoices.sendInvoice(live.id as string, {}, { idempotencyKey: `${key}:send` }) : live;
    return resultOf(sent, action, replaced);
  }
  const draft = await stripe.invoices.create(
    {
      customer: customer.id,
      // Without it Stripe takes the customer's last currency or the account's, and refuses items in another.
      currency: input.items[0].currency,
      collection_method: 'send_invoice',
      days_until_due: input.daysUntilDue,
      auto_advance: false,
      pending_invoice_items_behavior: 'exclude',
      metadata: { ...input.metadata, handoff_key: `${key}:invoice` },
    },
    { idempotencyKey: `${key}:invoice` },
  );
  return resultOf(await complete(stripe, draft, input, customer.id, key), replaced ? 'replaced' : 'created', replaced);
}

export function stripeEffects(credentials: CredentialsService): EffectPorts['stripe'] {
  return {
    customer: (input) =>
      attempt(credentials, input.credential, 'customer', async (stripe) => {
        const c = await findOrCreateCustomer(stripe, input);
        return { customerId: c.id, email: c.email, created: c.created };
      }),
    invoice: (input) => attempt(credentials, input.credential, 'invoice', (stripe) => invoice(stripe, input)),
    refund: (input: StripeRefundInput) =>
      attempt(credentials, input.credential, 'refund', async (stripe) => {
        const target = input.payment.startsWith('ch_') ? { charge: input.payment } : { payment_intent: input.payment };
        const refund = await stripe.refunds.create(
          { ...target, ...(input.amount !== null ? { amount: input.amount } : {}), ...(input.reason ? { reason: input.reason } : {}), ...(Object.keys(input.metadata).length ? { metadata: input.metadata } : {}) },
          { idempotencyKey: `${input.idempotencyKey}:refund` },
        );
        return { refundId: refund.id, status: refund.status ?? 'pending', amount: refund.amount, currency: refund.currency, payment: input.payment };
      }),
  };
}
