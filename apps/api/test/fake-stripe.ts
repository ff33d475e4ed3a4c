import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import qs from 'qs';

// Events carry the API version the stripe@23 SDK pins; real Stripe uses the account's default.
const API_VERSION = '2026-10-28.endive';
const DAY = 86_400;

type Params = Record<string, unknown>;
type Metadata = Record<string, string>;
type Base<O extends string> = { id: string; object: O; created: number; livemode: false };

export type Customer = Base<'customer'> & { email: string | null; name: string | null; description: string | null; metadata: Metadata };
export type InvoiceItem = Base<'invoiceitem'> & {
  customer: string;
  invoice: string | null;
  amount: number;
  currency: string;
  description: string | null;
  quantity: number;
  unit_amount_decimal: string | null;
  metadata: Metadata;
};
export type LineItem = { id: string; object: 'line_item'; invoice: string; amount: number; currency: string; description: string | null; quantity: number; metadata: Metadata; parent: { type: 'invoice_item_details'; invoice_item_details: { invoice_item: string } } };
export type Invoice = Base<'invoice'> & {
  customer: string;
  customer_email: string | null;
  customer_name: string | null;
  status: 'draft' | 'open' | 'paid' | 'void';
  collection_method: 'charge_automatically' | 'send_invoice';
  days_until_due: number | null;
  due_date: number | null;
  auto_advance: boolean;
  currency: string;
  description: string | null;
  metadata: Metadata;
  number: string | null;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  lines: { object: 'list'; data: LineItem[]; has_more: false; total_count: number; url: string };
  subtotal: number;
  total: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  status_transitions: { finalized_at: number | null; paid_at: number | null; voided_at: number | null };
};
export type PaymentIntent = Base<'payment_intent'> & { amount: number; amount_received: number; currency: string; customer: string | null; status: 'succeeded'; latest_charge: string; metadata: Metadata };
export type Refund = Base<'refund'> & { amount: number; currency: string; payment_intent: string; charge: string; reason: string | null; status: 'succeeded'; metadata: Metadata };
/** `secret` stays in state so tests can sign deliveries; answers carry it only on create. */
export type WebhookEndpoint = Base<'webhook_endpoint'> & { url: string; enabled_events: string[]; description: string | null; metadata: Metadata; status: 'enabled' | 'disabled'; api_version: string | null; application: null; secret: string };
export type StripeEvent = Base<'event'> & { type: string; api_version: string; data: { object: object }; request: { id: string | null; idempotency_key: string | null }; pending_webhooks: number };
export type LoggedRequest = { method: string; path: string; idempotencyKey: string | null; replayed: boolean; status: number; dropped: boolean };

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
    // Stripe stores an idempotent result only once the endpoint started; a param that fails validation is not stored.
    readonly beforeExecution = false,
  ) {
    super(message);
  }
}
const badParam = (message: string, param: string, code = 'parameter_invalid') => new ApiError(400, 'invalid_request_error', message, { code, param }, true);
const missingParam = (param: string) => badParam(`Missing required param: ${param}.`, param, 'parameter_missing');
const noSuch = (kind: string, id: string, status = 404, param?: string) => new ApiError(status, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });
const refuse = (message: string, code?: string) => new ApiError(400, 'invalid_request_error', message, { code });
const idempotencyError = (status: number, message: string) => new ApiError(status, 'idempotency_error', message);

const publicEndpoint = ({ secret: _secret, ...rest }: WebhookEndpoint) => rest;
const newId = (prefix: string, length = 14) => `${prefix}_${randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, length)}`;
// Parameters compare by value, whatever order the client encoded them in.
const canonical = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

function str(p: Params, name: string, required = false): string | undefined {
  const v = p[name];
  if (v === undefined || v === '') {
    if (required) throw missingParam(name);
    return undefined;
  }
  if (typeof v !== 'string') throw badParam(`Invalid string: ${name}`, name);
  return v;
}
function int(p: Params, name: string, required = false): number | undefined {
  const s = str(p, name, required);
  if (s !== undefined && !/^-?\d+$/.test(s)) throw badParam(`Invalid integer: ${s}`, name, 'parameter_invalid_integer');
  return s === undefined ? undefined : Number(s);
}
function bool(p: Params, name: string): boolean | undefined {
  const s = str(p, name);
  if (s !== undefined && s !== 'true' && s !== 'false') throw badParam(`Invalid boolean: ${s}`, name);
  return s === undefined ? undefined : s === 'true';
}
function oneOf<T extends string>(p: Params, name: string, values: readonly T[]): T | undefined {
  const s = str(p, name);
  if (s !== undefined && !values.includes(s as T)) throw badParam(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  return s as T | undefined;
}
function strings(p: Params, name: string, required = false): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === '') {
    if (required) throw missingParam(name);
    return undefined;
  }
  const list = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v as object) : null;
  if (!list || list.some((x) => typeof x !== 'string')) throw badParam(`Invalid array: ${name}`, name);
  return list as string[];
}
/** Stripe merges metadata on update: an empty value removes that key, `metadata=` removes all. */
function metadata(p: Params, current: Metadata = {}): Metadata {
  const v = p.metadata;
  if (v === undefined) return current;
  if (v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw badParam('Invalid metadata: must be an object', 'metadata');
  const next = { ...current };
  for (const [k, x] of Object.entries(v as Params)) {
    if (typeof x !== 'string') throw badParam(`Invalid metadata[${k}]`, `metadata[${k}]`);
    if (x === '') delete next[k];
    else next[k] = x;
  }
  return next;
}

type Ctx = { params: Params; requestId: string; idempotencyKey: string | null };
type Route = { method: string; path: RegExp; accepts: string[]; run: (c: Ctx, id: string) => unknown };
type Fault = { method: string; path: RegExp; times: number; status: number; ms: number };
type Stored = { endpoint: string; params: string; answer?: { status: number; body: string; requestId: string } };

/**
 * A local Stripe API for tests, driven through the real `stripe` SDK pointed at it. It models what our
 * actions depend on: object shapes, state rules, Idempotency-Key replay, and answers lost after the work.
 */
export class FakeStripe {
  readonly customers = new Map<string, Customer>();
  readonly invoices = new Map<string, Invoice>();
  readonly invoiceItems = new Map<string, InvoiceItem>();
  readonly refunds = new Map<string, Refund>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly webhookEndpoints = new Map<string, WebhookEndpoint>();
  readonly events = new Map<string, StripeEvent>();
  readonly requests: LoggedRequest[] = [];
  url = '';
  port = 0;
  /** The account's default currency, for invoices created without one. */
  accountCurrency = 'usd';

  private server: Server | null = null;
  private keys = new Map<string, Stored>();
  private faults: { fail: Fault[]; drop: Fault[]; delay: Fault[] } = { fail: [], drop: [], delay: [] };
  private invoiceNumber = 0;
  private clockOffset = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, Buffer.concat(chunks).toString('utf8'), res).catch(() => res.writeHead(500).end()));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  reset(): void {
    for (const m of [this.customers, this.invoices, this.invoiceItems, this.refunds, this.paymentIntents, this.webhookEndpoints, this.events, this.keys]) m.clear();
    this.requests.length = 0;
    this.faults = { fail: [], drop: [], delay: [] };
    this.invoiceNumber = 0;
    this.clockOffset = 0;
  }

  /** The matching request runs and its answer is stored under its key, then the connection is cut instead of answering. */
  dropResponse(method: string, pathPattern: RegExp, times = 1): this {
    this.faults.drop.push({ method, path: pathPattern, times, status: 0, ms: 0 });
    return this;
  }

  /** The matching request is answered `status` (api_error) before any work, and nothing is stored under its key. */
  failNext(method: string, pathPattern: RegExp, status = 500, times = 1): this {
    this.faults.fail.push({ method, path: pathPattern, times, status, ms: 0 });
    return this;
  }

  /** The matching request holds its answer for `ms` after the work, so a second request with its key meets it in flight. */
  delay(method: string, pathPattern: RegExp, ms: number, times = 1): this {
    this.faults.delay.push({ method, path: pathPattern, times, status: 0, ms });
    return this;
  }

  /** Moves the fake's clock (created, due_date, events' created) forward. */
  advanceClock(seconds: number): void {
    this.clockOffset += seconds;
  }

  addPaymentIntent(p: { amount: number; currency?: string; customer?: string }): PaymentIntent {
    const pi: PaymentIntent = { ...this.base('pi', 'payment_intent'), amount: p.amount, amount_received: p.amount, currency: p.currency ?? 'usd', customer: p.customer ?? null, status: 'succeeded', latest_charge: newId('ch'), metadata: {} };
    this.paymentIntents.set(pi.id, pi);
    return pi;
  }

  payInvoice(id: string): StripeEvent {
    const inv = this.openInvoice(id, 'payInvoice');
    Object.assign(inv, { status: 'paid', amount_paid: inv.amount_due, amount_remaining: 0, attempt_count: inv.attempt_count + 1 });
    inv.status_transitions.paid_at = this.now();
    return this.record('invoice.paid', inv);
  }

  failInvoicePayment(id: string): StripeEvent {
    const inv = this.openInvoice(id, 'failInvoicePayment');
    inv.attempt_count += 1;
    return this.record('invoice.payment_failed', inv);
  }

  addEvent(type: string, object: object): StripeEvent {
    return this.record(type, object);
  }

  private now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  private base<O extends string>(prefix: string, object: O): Base<O> {
    return { id: newId(prefix), object, created: this.now(), livemode: false };
  }

  private openInvoice(id: string, helper: string): Invoice {
    const inv = this.invoices.get(id);
    if (inv?.status !== 'open') throw new Error(`${helper}: invoice ${id} is ${inv?.status ?? 'unknown'}, not open`);
    return inv;
  }

  private record(type: string, object: object, c?: Ctx): StripeEvent {
    // A webhook would be pending for every enabled endpoint that listens to this type.
    const pending = [...this.webhookEndpoints.values()].filter((w) => w.status === 'enabled' && (w.enabled_events.includes('*') || w.enabled_events.includes(type))).length;
    const event: StripeEvent = {
      ...this.base('evt', 'event'),
      type,
      api_version: API_VERSION,
      data: { object: structuredClone(object) },
      request: { id: c?.requestId ?? null, idempotency_key: c?.idempotencyKey ?? null },
      pending_webhooks: pending,
    };
    this.events.set(event.id, event);
    return event;
  }

  /** Exact-match filters on the named params, then a page of the rest. */
  private list<T extends { id: string }>(url: string, map: Map<string, T>, p: Params, filters: (keyof T & string)[], view = (x: T): object => x) {
    const rows = [...map.values()].filter((x) => filters.every((f) => p[f] === undefined || x[f] === p[f]));
    const page = this.page(rows, url, p);
    return { ...page, data: page.data.map(view) };
  }

  /** Newest first (Maps keep creation order), `limit` and `starting_after` as Stripe pages. */
  private page<T extends { id: string }>(items: T[], url: string, p: Params) {
    const limit = int(p, 'limit') ?? 10;
    if (limit < 1 || limit > 100) throw badParam('Invalid limit: must be between 1 and 100', 'limit');
    let rows = [...items].reverse();
    const after = str(p, 'starting_after');
    if (after) {
      const i = rows.findIndex((r) => r.id === after);
      if (i < 0) throw noSuch('object', after, 400, 'starting_after');
      rows = rows.slice(i + 1);
    }
    return { object: 'list' as const, data: rows.slice(0, limit), has_more: rows.length > limit, url };
  }

  private find<T>(map: Map<string, T>, kind: string, id: string): T {
    const found = map.get(id);
    if (!found) throw noSuch(kind, id);
    return found;
  }

  private recompute(inv: Invoice): void {
    const items = [...this.invoiceItems.values()].filter((ii) => ii.invoice === inv.id);
    inv.lines.data = items.map((ii) => ({
      id: `il_${ii.id.slice(3)}`,
      object: 'line_item',
      invoice: inv.id,
      amount: ii.amount,
      currency: ii.currency,
      description: ii.description,
      quantity: ii.quantity,
      metadata: ii.metadata,
      parent: { type: 'invoice_item_details', invoice_item_details: { invoice_item: ii.id } },
    }));
    inv.lines.total_count = items.length;
    inv.subtotal = inv.total = inv.amount_due = items.reduce((sum, ii) => sum + ii.amount, 0);
    inv.amount_remaining = inv.amount_due - inv.amount_paid;
  }

  private remove<T>(map: Map<string, T>, kind: string, id: string) {
    this.find(map, kind, id);
    map.delete(id);
    return { id, object: kind, deleted: true };
  }

  private readonly routes: Route[] = [
    { method: 'POST', path: /^\/v1\/customers$/, accepts: ['email', 'name', 'description', 'metadata'], run: (c) => this.createCustomer(c) },
    { method: 'GET', path: /^\/v1\/customers$/, accepts: ['email', 'limit', 'starting_after'], run: (c) => this.list('/v1/customers', this.customers, c.params, ['email']) },
    { method: 'GET', path: /^\/v1\/customers\/([^/]+)$/, accepts: [], run: (_c, id) => this.find(this.customers, 'customer', id) },
    { method: 'POST', path: /^\/v1\/invoices$/, accepts: ['customer', 'collection_method', 'days_until_due', 'auto_advance', 'currency', 'description', 'metadata', 'pending_invoice_items_behavior'], run: (c) => this.createInvoice(c) },
    { method: 'GET', path: /^\/v1\/invoices$/, accepts: ['customer', 'status', 'limit', 'starting_after'], run: (c) => this.list('/v1/invoices', this.invoices, c.params, ['customer', 'status']) },
    { method: 'GET', path: /^\/v1\/invoices\/([^/]+)$/, accepts: [], run: (_c, id) => this.find(this.invoices, 'invoice', id) },
    { method: 'POST', path: /^\/v1\/invoices\/([^/]+)$/, accepts: ['days_until_due', 'description', 'metadata', 'auto_advance'], run: (c, id) => this.updateInvoice(c, id) },
    { method: 'DELETE', path: /^\/v1\/invoices\/([^/]+)$/, accepts: [], run: (_c, id) => this.deleteInvoice(id) },
    { method: 'POST', path: /^\/v1\/invoices\/([^/]+)\/finalize$/, accepts: ['auto_advance'], run: (c, id) => this.finalizeInvoice(c, id) },
    { method: 'POST', path: /^\/v1\/invoices\/([^/]+)\/send$/, accepts: [], run: (c, id) => this.sendInvoice(c, id) },
    { method: 'POST', path: /^\/v1\/invoices\/([^/]+)\/void$/, accepts: [], run: (c, id) => this.voidInvoice(c, id) },
    { method: 'POST', path: /^\/v1\/invoiceitems$/, accepts: ['customer', 'invoice', 'amount', 'currency', 'description', 'quantity', 'unit_amount_decimal', 'metadata'], run: (c) => this.createInvoiceItem(c) },
    { method: 'GET', path: /^\/v1\/invoiceitems$/, accepts: ['invoice', 'customer', 'limit', 'starting_after'], run: (c) => this.list('/v1/invoiceitems', this.invoiceItems, c.params, ['invoice', 'customer']) },
    { method: 'GET', path: /^\/v1\/invoiceitems\/([^/]+)$/, accepts: [], run: (_c, id) => this.find(this.invoiceItems, 'invoiceitem', id) },
    { method: 'DELETE', path: /^\/v1\/invoiceitems\/([^/]+)$/, accepts: [], run: (_c, id) => this.deleteInvoiceItem(id) },
    { method: 'POST', path: /^\/v1\/refunds$/, accepts: ['payment_intent', 'charge', 'amount', 'reason', 'metadata'], run: (c) => this.createRefund(c) },
    { method: 'GET', path: /^\/v1\/refunds\/([^/]+)$/, accepts: [], run: (_c, id) => this.find(this.refunds, 'refund', id) },
    { method: 'GET', path: /^\/v1\/payment_intents\/([^/]+)$/, accepts: [], run: (_c, id) => this.find(this.paymentIntents, 'payment_intent', id) },
    { method: 'GET', path: /^\/v1\/webhook_endpoints$/, accepts: ['limit', 'starting_after'], run: (c) => this.list('/v1/webhook_endpoints', this.webhookEndpoints, c.params, [], publicEndpoint) },
    { method: 'POST', path: /^\/v1\/webhook_endpoints$/, accepts: ['url', 'enabled_events', 'description', 'metadata', 'api_version'], run: (c) => this.createWebhookEndpoint(c) },
    { method: 'GET', path: /^\/v1\/webhook_endpoints\/([^/]+)$/, accepts: [], run: (_c, id) => publicEndpoint(this.find(this.webhookEndpoints, 'webhook_endpoint', id)) },
    { method: 'POST', path: /^\/v1\/webhook_endpoints\/([^/]+)$/, accepts: ['url', 'enabled_events', 'description', 'metadata', 'disabled'], run: (c, id) => this.updateWebhookEndpoint(c, id) },
    { method: 'DELETE', path: /^\/v1\/webhook_endpoints\/([^/]+)$/, accepts: [], run: (_c, id) => this.remove(this.webhookEndpoints, 'webhook_endpoint', id) },
    { method: 'GET', path: /^\/v1\/events$/, accepts: ['type', 'types', 'created', 'limit', 'starting_after'], run: (c) => this.listEvents(c.params) },
    { method: 'GET', path: /^\/v1\/events\/([^/]+)$/, accepts: [], run: (_c, id) => this.find(this.events, 'event', id) },
  ];

  private createCustomer(c: Ctx): Customer {
    const p = c.params;
    const customer: Customer = { ...this.base('cus', 'customer'), email: str(p, 'email') ?? null, name: str(p, 'name') ?? null, description: str(p, 'description') ?? null, metadata: metadata(p) };
    this.customers.set(customer.id, customer);
    this.record('customer.created', customer, c);
    return customer;
  }

  private createInvoice(c: Ctx): Invoice {
    const p = c.params;
    const customerId = str(p, 'customer', true)!;
    const method = oneOf(p, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically';
    const days = int(p, 'days_until_due');
    if (method === 'send_invoice' && days === undefined) throw badParam('Invoices with `collection_method=send_invoice` need `days_until_due` (or `due_date`).', 'days_until_due');
    if (method === 'charge_automatically' && days !== undefined) throw badParam('`days_until_due` can only be set when `collection_method` is `send_invoice`.', 'days_until_due');
    const include = oneOf(p, 'pending_invoice_items_behavior', ['exclude', 'include'] as const) === 'include';
    const fields = { auto_advance: bool(p, 'auto_advance') ?? false, description: str(p, 'description') ?? null, metadata: metadata(p) };
    const currency = str(p, 'currency')?.toLowerCase();
    const customer = this.customers.get(customerId);
    if (!customer) throw noSuch('customer', customerId, 400, 'customer');
    const base = this.base('in', 'invoice');
    const inv: Invoice = {
      ...base,
      ...fields,
      // Without `currency` Stripe takes the customer's last invoice's, else the account's: a new
      // customer's invoice is in the account currency and refuses items in another one.
      currency: currency ?? [...this.invoices.values()].reverse().find((i) => i.customer === customer.id)?.currency ?? this.accountCurrency,
      customer: customer.id,
      customer_email: customer.email,
      customer_name: customer.name,
      status: 'draft',
      collection_method: method,
      days_until_due: days ?? null,
      due_date: null,
      number: null,
      hosted_invoice_url: null,
      invoice_pdf: null,
      lines: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/invoices/${base.id}/lines` },
      ...{ subtotal: 0, total: 0, amount_due: 0, amount_paid: 0, amount_remaining: 0, attempt_count: 0 },
      status_transitions: { finalized_at: null, paid_at: null, voided_at: null },
    };
    // Stripe's default is 'exclude': the customer's pending items stay pending unless asked for.
    if (include) for (const ii of this.invoiceItems.values()) if (ii.customer === customer.id && ii.invoice === null && ii.currency === inv.currency) ii.invoice = inv.id;
    this.invoices.set(inv.id, inv);
    this.recompute(inv);
    this.record('invoice.created', inv, c);
    return inv;
  }

  private updateInvoice(c: Ctx, id: string): Invoice {
    const p = c.params;
    const days = int(p, 'days_until_due');
    const autoAdvance = bool(p, 'auto_advance');
    const inv = this.find(this.invoices, 'invoice', id);
    if (inv.status !== 'draft' && (days !== undefined || 'description' in p)) throw refuse(`Finalized invoices can't be updated in this way: only metadata can change on a ${inv.status} invoice.`, 'invoice_not_editable');
    if (days !== undefined && inv.collection_method !== 'send_invoice') throw refuse('`days_until_due` can only be set when `collection_method` is `send_invoice`.');
    if (days !== undefined) inv.days_until_due = days;
    if ('description' in p) inv.description = str(p, 'description') ?? null;
    if (autoAdvance !== undefined) inv.auto_advance = autoAdvance;
    inv.metadata = metadata(p, inv.metadata);
    return inv;
  }

  private deleteInvoice(id: string) {
    const inv = this.find(this.invoices, 'invoice', id);
    if (inv.status !== 'draft') throw refuse(`You can only delete draft invoices. This invoice is ${inv.status}.`);
    for (const ii of [...this.invoiceItems.values()]) if (ii.invoice === id) this.invoiceItems.delete(ii.id);
    this.invoices.delete(id);
    return { id, object: 'invoice', deleted: true };
  }

  private finalizeInvoice(c: Ctx, id: string): Invoice {
    const autoAdvance = bool(c.params, 'auto_advance');
    const inv = this.find(this.invoices, 'invoice', id);
    if (inv.status !== 'draft') throw refuse(`You can only finalize invoices that are in draft status. This invoice is ${inv.status}.`);
    const now = this.now();
    this.recompute(inv);
    Object.assign(inv, {
      status: 'open',
      number: `HND-${String(++this.invoiceNumber).padStart(4, '0')}`,
      hosted_invoice_url: `${this.url}/i/${inv.id}`,
      invoice_pdf: `${this.url}/i/${inv.id}/pdf`,
      due_date: inv.days_until_due === null ? null : now + inv.days_until_due * DAY,
      auto_advance: autoAdvance ?? inv.auto_advance,
    });
    inv.status_transitions.finalized_at = now;
    this.record('invoice.finalized', inv, c);
    // Stripe marks an invoice with nothing to pay as paid the moment it is finalized.
    if (inv.amount_due === 0) {
      Object.assign(inv, { status: 'paid' });
      inv.status_transitions.paid_at = now;
      this.record('invoice.paid', inv, c);
    }
    return inv;
  }

  private sendInvoice(c: Ctx, id: string): Invoice {
    const inv = this.find(this.invoices, 'invoice', id);
    if (inv.collection_method !== 'send_invoice') throw refuse("You can only manually send an invoice if its collection method is 'send_invoice'.");
    if (inv.status !== 'open') throw refuse(`You can only send invoices that are open. This invoice is ${inv.status}.`);
    this.record('invoice.sent', inv, c);
    return inv;
  }

  private voidInvoice(c: Ctx, id: string): Invoice {
    const inv = this.find(this.invoices, 'invoice', id);
    if (inv.status !== 'open') throw refuse(`You can only void invoices that are open. This invoice is ${inv.status}.`);
    Object.assign(inv, { status: 'void', amount_remaining: 0 });
    inv.status_transitions.voided_at = this.now();
    this.record('invoice.voided', inv, c);
    return inv;
  }

  private createInvoiceItem(c: Ctx): InvoiceItem {
    const p = c.params;
    const customerId = str(p, 'customer', true)!;
    const currency = str(p, 'currency', true)!.toLowerCase();
    const amount = int(p, 'amount');
    const unit = str(p, 'unit_amount_decimal');
    const quantity = int(p, 'quantity');
    // Stripe: `amount` is the line's total; a quantity goes with `unit_amount_decimal` instead.
    if (amount !== undefined && quantity !== undefined) throw badParam('You may only specify one of these parameters: amount, quantity.', 'amount');
    if (amount !== undefined && unit !== undefined) throw badParam('You may only specify one of these parameters: amount, unit_amount_decimal.', 'amount');
    if (amount === undefined && unit === undefined) throw missingParam('amount');
    if (unit !== undefined && !/^\d+(\.\d+)?$/.test(unit)) throw badParam(`Invalid decimal: ${unit}`, 'unit_amount_decimal');
    if (quantity !== undefined && quantity < 0) throw badParam('Invalid non-negative integer', 'quantity');
    const fields = { description: str(p, 'description') ?? null, metadata: metadata(p) };
    const invoiceId = str(p, 'invoice');
    const customer = this.customers.get(customerId);
    if (!customer) throw noSuch('customer', customerId, 400, 'customer');
    const inv = invoiceId === undefined ? null : (this.invoices.get(invoiceId) ?? null);
    if (invoiceId && !inv) throw noSuch('invoice', invoiceId, 400, 'invoice');
    if (inv && inv.customer !== customer.id) throw refuse(`Invoice ${inv.id} belongs to another customer than ${customer.id}.`);
    if (inv && inv.status !== 'draft') throw refuse(`You can only add invoice items to draft invoices. Invoice ${inv.id} is ${inv.status}.`, 'invoice_not_editable');
    if (inv && inv.currency !== currency) throw refuse(`The currency of the invoice item (${currency}) must match the currency of the invoice (${inv.currency}).`);
    const item: InvoiceItem = {
      ...this.base('ii', 'invoiceitem'),
      ...fields,
      customer: customer.id,
      invoice: inv?.id ?? null,
      amount: amount ?? Math.round(Number(unit) * (quantity ?? 1)),
      currency,
      quantity: quantity ?? 1,
      unit_amount_decimal: unit ?? (amount === undefined ? null : String(amount)),
    };
    this.invoiceItems.set(item.id, item);
    if (inv) this.recompute(inv);
    return item;
  }

  private deleteInvoiceItem(id: string) {
    const item = this.find(this.invoiceItems, 'invoiceitem', id);
    const inv = item.invoice ? this.invoices.get(item.invoice) : undefined;
    if (inv && inv.status !== 'draft') throw refuse(`You can only delete invoice items on draft invoices. Invoice ${inv.id} is ${inv.status}.`, 'invoice_not_editable');
    this.invoiceItems.delete(id);
    if (inv) this.recompute(inv);
    return { id, object: 'invoiceitem', deleted: true };
  }

  private createRefund(c: Ctx): Refund {
    const p = c.params;
    const piId = str(p, 'payment_intent');
    const chargeId = str(p, 'charge');
    if (!piId && !chargeId) throw badParam('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent', 'parameter_missing');
    const amount = int(p, 'amount');
    if (amount !== undefined && amount < 1) throw badParam('Invalid positive integer', 'amount', 'parameter_invalid_integer');
    const fields = { reason: oneOf(p, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null, metadata: metadata(p) };
    const pi = piId ? this.paymentIntents.get(piId) : [...this.paymentIntents.values()].find((x) => x.latest_charge === chargeId);
    if (!pi) throw piId ? noSuch('payment_intent', piId, 400, 'payment_intent') : noSuch('charge', chargeId!, 400, 'charge');
    const left = pi.amount - this.refunded(pi);
    if (left === 0) throw refuse(`Charge ${pi.latest_charge} has already been refunded.`, 'charge_already_refunded');
    if (amount !== undefined && amount > left) throw refuse(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`);
    const refund: Refund = { ...this.base('re', 'refund'), ...fields, amount: amount ?? left, currency: pi.currency, payment_intent: pi.id, charge: pi.latest_charge, status: 'succeeded' };
    this.refunds.set(refund.id, refund);
    this.record('refund.created', refund, c);
    const refundedNow = this.refunded(pi);
    this.record('charge.refunded', { id: pi.latest_charge, object: 'charge', amount: pi.amount, amount_refunded: refundedNow, refunded: refundedNow === pi.amount, currency: pi.currency, customer: pi.customer, payment_intent: pi.id, status: 'succeeded' }, c);
    return refund;
  }

  private refunded(pi: PaymentIntent): number {
    return [...this.refunds.values()].filter((r) => r.payment_intent === pi.id).reduce((sum, r) => sum + r.amount, 0);
  }

  private createWebhookEndpoint(c: Ctx): WebhookEndpoint {
    const p = c.params;
    const url = str(p, 'url', true)!;
    if (!/^https?:\/\/\S+$/.test(url)) throw badParam(`Invalid URL: ${url}`, 'url', 'url_invalid');
    const endpoint: WebhookEndpoint = {
      ...this.base('we', 'webhook_endpoint'),
      url,
      enabled_events: strings(p, 'enabled_events', true)!,
      description: str(p, 'description') ?? null,
      metadata: metadata(p),
      status: 'enabled',
      api_version: str(p, 'api_version') ?? null,
      application: null,
      secret: `whsec_${randomBytes(24).toString('hex')}`,
    };
    this.webhookEndpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  private updateWebhookEndpoint(c: Ctx, id: string) {
    const p = c.params;
    const events = strings(p, 'enabled_events');
    const url = str(p, 'url');
    const disabled = bool(p, 'disabled');
    const endpoint = this.find(this.webhookEndpoints, 'webhook_endpoint', id);
    if (events) endpoint.enabled_events = events;
    if (url) endpoint.url = url;
    if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
    if ('description' in p) endpoint.description = str(p, 'description') ?? null;
    endpoint.metadata = metadata(p, endpoint.metadata);
    return publicEndpoint(endpoint);
  }

  private listEvents(p: Params) {
    const type = str(p, 'type');
    const types = strings(p, 'types');
    if (type && types) throw badParam('You may pass either `type` or `types`, but not both.', 'types');
    if (types && types.length > 20) throw badParam('`types` takes at most 20 event types.', 'types');
    // `type` may end in a wildcard, e.g. 'invoice.*'.
    const wanted = types ?? (type ? [type] : null);
    const matches = (t: string) => !wanted || wanted.some((w) => (w.endsWith('.*') ? t.startsWith(w.slice(0, -1)) : t === w));
    const created = p.created;
    const range = created && typeof created === 'object' ? (created as Params) : {};
    const bound = (op: string) => int(range, op);
    const [gt, gte, lt, lte, exact] = [bound('gt'), bound('gte'), bound('lt'), bound('lte'), typeof created === 'string' ? int(p, 'created') : undefined];
    const inRange = (t: number) => (gt === undefined || t > gt) && (gte === undefined || t >= gte) && (lt === undefined || t < lt) && (lte === undefined || t <= lte) && (exact === undefined || t === exact);
    return this.page([...this.events.values()].filter((e) => matches(e.type) && inRange(e.created)), '/v1/events', p);
  }

  private async handle(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : null);
    // Stripe honours Idempotency-Key on POST only; GET and DELETE are idempotent by nature.
    const idempotencyKey = method === 'POST' ? header('idempotency-key') : null;
    const requestId = newId('req');
    const log: LoggedRequest = { method, path, idempotencyKey, replayed: false, status: 0, dropped: false };
    this.requests.push(log);

    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      log.status = status;
      if (this.take(this.faults.drop, method, path)) {
        log.dropped = true;
        res.socket?.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, 'stripe-version': API_VERSION, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}), ...headers }).end(text);
    };
    const errorText = (e: ApiError) => JSON.stringify({ error: { type: e.type, message: e.message, ...e.extra } });
    const fail = (e: ApiError) => send(e.status, errorText(e));

    const injected = this.take(this.faults.fail, method, path);
    if (injected) return fail(new ApiError(injected.status, 'api_error', 'An unknown error occurred (injected by FakeStripe).'));

    const apiKey = /^Bearer (\S+)$/.exec(header('authorization') ?? '')?.[1];
    if (!apiKey) return fail(new ApiError(401, 'invalid_request_error', "You did not provide an API key. Provide it in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."));
    if (!/^(sk|rk)_test_/.test(apiKey)) return fail(new ApiError(401, 'invalid_request_error', `Invalid API Key provided: ${apiKey.slice(0, 8)}${'*'.repeat(8)}${apiKey.slice(-4)}`));

    let route: Route | undefined;
    let id = '';
    for (const r of this.routes) {
      const m = r.method === method ? r.path.exec(path) : null;
      if (m) {
        [route, id] = [r, decodeURIComponent(m[1] ?? '')];
        break;
      }
    }
    if (!route) return fail(new ApiError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`));

    const params = qs.parse(method === 'POST' ? body : url.search.slice(1), { arrayLimit: 1000, depth: 10 }) as Params;
    const ctx: Ctx = { params, requestId, idempotencyKey };

    // Keys are scoped to the API key that sent them.
    const scope = `${apiKey}\n${idempotencyKey}`;
    let stored: Stored | undefined;
    if (idempotencyKey) {
      if (idempotencyKey.length > 255) return fail(badParam('Idempotency keys can be at most 255 characters long.', 'idempotency_key'));
      const endpoint = `${method} ${path}`;
      const prior = this.keys.get(scope);
      if (prior && prior.endpoint !== endpoint)
        return fail(idempotencyError(400, `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${prior.endpoint}' vs '${endpoint}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`));
      if (prior && prior.params !== canonical(params))
        return fail(idempotencyError(400, `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`));
      if (prior && !prior.answer)
        return fail(idempotencyError(409, `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`));
      if (prior?.answer) {
        log.replayed = true;
        return send(prior.answer.status, prior.answer.body, { 'idempotent-replayed': 'true', 'original-request': prior.answer.requestId });
      }
      stored = { endpoint, params: canonical(params) };
      this.keys.set(scope, stored);
    }

    let status = 200;
    let text: string;
    try {
      const unknown = Object.keys(params).find((k) => k !== 'expand' && !route.accepts.includes(k));
      if (unknown) throw badParam(`Received unknown parameter: ${unknown}`, unknown, 'parameter_unknown');
      text = JSON.stringify(route.run(ctx, id));
    } catch (e) {
      // A bug in the fake answers 500 like a Stripe crash (and, like Stripe, replays it) instead of leaving the key in flight.
      const err = e instanceof ApiError ? e : new ApiError(500, 'api_error', `FakeStripe failed: ${(e as Error).message}`);
      if (err.beforeExecution && stored) {
        this.keys.delete(scope);
        stored = undefined;
      }
      [status, text] = [err.status, errorText(err)];
    }
    const slow = this.take(this.faults.delay, method, path);
    if (slow) await new Promise((r) => setTimeout(r, slow.ms));
    if (stored) stored.answer = { status, body: text, requestId };
    send(status, text);
  }

  private take(list: Fault[], method: string, path: string): Fault | undefined {
    const fault = list.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault) fault.times -= 1;
    return fault;
  }
}
