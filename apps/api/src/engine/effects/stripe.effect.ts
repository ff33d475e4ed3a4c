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

/** The deal's invoices this customer has, newest first: the ones that can still be live, and paid ones. */
async function invoicesOfDeal(stripe: Stripe, customerId: string, dealId: string): Promise<Stripe.Invoice[]> {
  const found: Stripe.Invoice[] = [];
  for (const status of ['open', 'draft', 'paid'] as const) {
    const { data } = await stripe.invoices.list({ customer: customerId, status, limit: 100 });
    found.push(...data.filter((i) => i.metadata?.handoff_deal_id === dealId));
  }
  return found.sort((a, b) => b.created - a.created);
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

type Line = { amount: number; currency: string; description: string };

/** The invoice line an item becomes. */
function lineOf(item: StripeInvoiceInput['items'][number]): Line {
  return { amount: item.amount * item.quantity, currency: item.currency, description: item.quantity > 1 ? `${item.description} × ${item.quantity}` : item.description };
}

const lineKey = (l: Line) => `${l.currency}\u0000${l.amount}\u0000${l.description}`;

/** True when the invoice bills exactly these items (a list cut short by Stripe never matches: it is replaced, never wrongly kept). */
function billsItems(invoice: Stripe.Invoice, input: StripeInvoiceInput): boolean {
  const lines = invoice.lines?.data ?? [];
  if (invoice.lines?.has_more) return false;
  const have = lines.map((l) => lineKey({ amount: l.amount, currency: l.currency, description: l.description ?? '' })).sort();
  const want = input.items.map((i) => lineKey(lineOf(i))).sort();
  return have.length === want.length && have.every((k, i) => k === want[i]);
}

/** The deal version an invoice was made from (metadata handoff_version), when it has one. */
function versionOf(metadata: Record<string, string> | null | undefined): bigint | null {
  const v = metadata?.handoff_version;
  return v && /^\d+$/.test(v) ? BigInt(v) : null;
}

/** Adds the items to a draft, then finalizes and sends it; each write keyed, so a retry picks up where it stopped. */
async function complete(stripe: Stripe, draft: Stripe.Invoice, input: StripeInvoiceInput, customerId: string, key: string): Promise<Stripe.Invoice> {
  const id = draft.id as string;
  for (const [i, item] of input.items.entries()) {
    await stripe.invoiceItems.create({ customer: customerId, invoice: id, ...lineOf(item) }, { idempotencyKey: `${key}:item:${i}` });
  }
  let invoice = draft.status === 'draft' ? await stripe.invoices.finalizeInvoice(id, {}, { idempotencyKey: `${key}:finalize` }) : draft;
  if (input.send && invoice.status === 'open') invoice = await stripe.invoices.sendInvoice(id, {}, { idempotencyKey: `${key}:send` });
  return invoice;
}

/** Takes an invoice out of play for its replacement: an open one is voided, a draft deleted. A paid one cannot be. */
async function retire(stripe: Stripe, invoice: Stripe.Invoice, key: string): Promise<void> {
  if (invoice.status === 'paid') throw new PermanentStepError(`Invoice ${invoice.id} is already paid: refund or credit it in Stripe instead of replacing it`);
  if (invoice.status === 'open') await stripe.invoices.voidInvoice(invoice.id as string, {}, { idempotencyKey: `${key}:void` });
  else if (invoice.status === 'draft') {
    try {
      await stripe.invoices.del(invoice.id as string);
    } catch (e) {
      // Deleted by our own earlier attempt whose answer was lost.
      if (!isMissing(e)) throw e;
    }
  }
}

/**
 * The deal's invoice brought to these items: one live invoice per deal, whatever order its runs
 * finish in. Under the deal's lock (the caller's), so two runs for one deal take turns:
 * - our own earlier attempt (metadata handoff_key) is picked up where it stopped;
 * - an invoice made from a newer version of the deal (handoff_version) is left as it is: this
 *   run's data is older (a create that ran after an amendment, or two amendments out of order);
 * - a live or paid invoice that bills exactly these items is the answer (`found`);
 * - else the live one (or `existingInvoiceId`) is voided, or deleted if a draft, and a new one
 *   issued: a draft is never edited line by line, since a retried edit could not tell its own
 *   lines from the ones it had to remove. A paid invoice with other items fails the step.
 */
async function invoice(stripe: Stripe, input: StripeInvoiceInput): Promise<StripeInvoiceResult> {
  const key = input.idempotencyKey;
  const customer = await findOrCreateCustomer(stripe, { ...input.customer, idempotencyKey: key });
  const dealId = input.metadata.handoff_deal_id;
  const version = input.version && /^\d+$/.test(input.version) ? BigInt(input.version) : null;
  const ofDeal = dealId ? await invoicesOfDeal(stripe, customer.id, dealId) : [];

  const own = ofDeal.find((i) => i.metadata?.handoff_key === `${key}:invoice`);
  if (own) return resultOf(await complete(stripe, own, input, customer.id, key), own.metadata?.handoff_replaced ? 'replaced' : 'created', own.metadata?.handoff_replaced || null);

  const newer = version === null ? undefined : ofDeal.find((i) => (versionOf(i.metadata) ?? -1n) > version);
  if (newer) return resultOf(newer, 'found', null);
  const live = ofDeal.find((i) => i.status === 'open' || i.status === 'draft');
  const current = live ?? ofDeal.find((i) => i.status === 'paid');
  if (current && billsItems(current, input)) return resultOf(current, 'found', null);

  let replaced: Stripe.Invoice | null = current ?? null;
  if (input.existingInvoiceId && input.existingInvoiceId !== replaced?.id) {
    // An invoice named by the flow that the deal's metadata does not lead to (made by hand, or for another customer).
    try {
      const named = await stripe.invoices.retrieve(input.existingInvoiceId);
      if (named.status === 'open' || named.status === 'draft' || named.status === 'paid') replaced = replaced ?? named;
      if (replaced !== named && (named.status === 'open' || named.status === 'draft')) await retire(stripe, named, `${key}:named`);
    } catch (e) {
      if (isMissing(e)) throw new PermanentStepError(`Stripe has no invoice ${input.existingInvoiceId} to update`);
      throw e;
    }
  }
  if (replaced) await retire(stripe, replaced, key);
  const draft = await stripe.invoices.create(
    {
      customer: customer.id,
      // Without it Stripe takes the customer's last currency or the account's, and refuses items in another.
      currency: input.items[0].currency,
      collection_method: 'send_invoice',
      days_until_due: input.daysUntilDue,
      auto_advance: false,
      pending_invoice_items_behavior: 'exclude',
      metadata: {
        ...input.metadata,
        handoff_key: `${key}:invoice`,
        ...(version !== null ? { handoff_version: String(version) } : {}),
        ...(replaced ? { handoff_replaced: replaced.id as string } : {}),
      },
    },
    { idempotencyKey: `${key}:invoice` },
  );
  return resultOf(await complete(stripe, draft, input, customer.id, key), replaced ? 'replaced' : 'created', (replaced?.id as string | undefined) ?? null);
}

/**
 * `lockDeal` takes a lock held until the step's transaction ends, so the invoice steps of one
 * deal (two amendments, a create and an amendment) take turns instead of both replacing the
 * same invoice.
 */
export function stripeEffects(credentials: CredentialsService, lockDeal: (dealId: string) => Promise<void>): EffectPorts['stripe'] {
  return {
    customer: (input) =>
      attempt(credentials, input.credential, 'customer', async (stripe) => {
        const c = await findOrCreateCustomer(stripe, input);
        return { customerId: c.id, email: c.email, created: c.created };
      }),
    invoice: async (input) => {
      if (input.metadata.handoff_deal_id) await lockDeal(input.metadata.handoff_deal_id);
      return attempt(credentials, input.credential, 'invoice', (stripe) => invoice(stripe, input));
    },
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
