import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeStripe } from './fake-stripe';

// Every test talks to the fake through the real SDK, so what passes here is what our actions will see.
describe('FakeStripe through the stripe SDK', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  const client = (key = 'sk_test_x', maxNetworkRetries = 2) => new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries });
  const eventTypes = () => [...fake.events.values()].map((e) => e.type);
  const draftWithCustomer = async (opts: Partial<Stripe.InvoiceCreateParams> = {}) => {
    const customer = await stripe.customers.create({ email: 'ada@example.com', name: 'Ada' });
    const invoice = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 14, currency: 'eur', ...opts });
    return { customer, invoice };
  };

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    stripe = client();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  it('creates customers and lists them by exact e-mail, newest first', async () => {
    const first = await stripe.customers.create({ email: 'ada@example.com', name: 'Ada', metadata: { deal: 'd1' } });
    await stripe.customers.create({ email: 'bob@example.com' });
    const second = await stripe.customers.create({ email: 'ada@example.com' });

    expect(first).toMatchObject({ id: expect.stringMatching(/^cus_/), object: 'customer', livemode: false, email: 'ada@example.com', metadata: { deal: 'd1' } });
    const found = await stripe.customers.list({ email: 'ada@example.com', limit: 10 });
    expect(found).toMatchObject({ object: 'list', has_more: false, url: '/v1/customers' });
    expect(found.data.map((c) => c.id)).toEqual([second.id, first.id]);
    expect((await stripe.customers.retrieve(first.id)).id).toBe(first.id);
    expect(eventTypes()).toEqual(['customer.created', 'customer.created', 'customer.created']);
  });

  it('answers 401 to a key that is not a test key', async () => {
    const err = await client('sk_live_123456789').customers.create({ email: 'a@example.com' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err).toMatchObject({ statusCode: 401, message: expect.stringMatching(/Invalid API Key/) });
    expect(fake.customers.size).toBe(0);
  });

  it('takes an invoice from draft through items, finalize and send, with totals and a number', async () => {
    const { customer, invoice } = await draftWithCustomer({ metadata: { handoff_deal_id: 'd1' } });
    expect(invoice).toMatchObject({ id: expect.stringMatching(/^in_/), object: 'invoice', status: 'draft', number: null, customer: customer.id, customer_email: 'ada@example.com', collection_method: 'send_invoice', days_until_due: 14 });

    const setup = await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 10_000, currency: 'eur', description: 'Setup' });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, unit_amount_decimal: Stripe.Decimal.from('2500'), quantity: 3, currency: 'eur', description: 'Seats' });
    const extra = await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 1, currency: 'eur' });
    expect(setup).toMatchObject({ id: expect.stringMatching(/^ii_/), object: 'invoiceitem', invoice: invoice.id, amount: 10_000 });
    expect(await stripe.invoiceItems.del(extra.id)).toEqual({ id: extra.id, object: 'invoiceitem', deleted: true });
    expect((await stripe.invoiceItems.list({ invoice: invoice.id })).data).toHaveLength(2);

    await stripe.invoices.update(invoice.id, { days_until_due: 30, metadata: { run: 'r1' } });
    const finalized = await stripe.invoices.finalizeInvoice(invoice.id);
    expect(finalized).toMatchObject({ status: 'open', number: 'HND-0001', amount_due: 17_500, total: 17_500, currency: 'eur', metadata: { handoff_deal_id: 'd1', run: 'r1' } });
    expect(finalized.hosted_invoice_url).toBe(`${fake.url}/i/${invoice.id}`);
    expect(finalized.due_date! - finalized.status_transitions.finalized_at!).toBe(30 * 86_400);
    expect(finalized.lines.data.map((l) => [l.description, l.amount, l.quantity])).toEqual([['Setup', 10_000, 1], ['Seats', 7_500, 3]]);

    expect((await stripe.invoices.sendInvoice(invoice.id)).status).toBe('open');
    expect((await stripe.invoices.list({ customer: customer.id, status: 'open' })).data.map((i) => i.id)).toEqual([invoice.id]);
    expect(eventTypes()).toEqual(['customer.created', 'invoice.created', 'invoice.finalized', 'invoice.sent']);
    const finalizedEvent = [...fake.events.values()].find((e) => e.type === 'invoice.finalized')!;
    expect(finalizedEvent).toMatchObject({ object: 'event', livemode: false, data: { object: { id: invoice.id, status: 'open' } }, request: { id: expect.stringMatching(/^req_/) } });
  });

  it('answers a request the invoice state does not allow with 400 and a Stripe message', async () => {
    const { customer, invoice } = await draftWithCustomer();
    const reject = (p: Promise<unknown>) => p.then(() => expect.fail('should have been refused'), (e: unknown) => e as Stripe.errors.StripeError);

    expect(await reject(stripe.invoices.voidInvoice(invoice.id))).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', message: expect.stringMatching(/only void invoices that are open/) });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 500, currency: 'eur' });
    await stripe.invoices.finalizeInvoice(invoice.id);
    expect(await reject(stripe.invoices.finalizeInvoice(invoice.id))).toMatchObject({ statusCode: 400, message: expect.stringMatching(/only finalize invoices that are in draft status/) });
    expect(await reject(stripe.invoices.del(invoice.id))).toMatchObject({ statusCode: 400, message: expect.stringMatching(/only delete draft invoices/) });
    expect(await reject(stripe.invoices.update(invoice.id, { days_until_due: 3 }))).toMatchObject({ statusCode: 400 });
    expect(await reject(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 500, currency: 'eur' }))).toMatchObject({ statusCode: 400, message: expect.stringMatching(/draft invoices/) });
    expect((await stripe.invoices.update(invoice.id, { metadata: { late: 'yes' } })).metadata).toEqual({ late: 'yes' });

    // Parameter mistakes our code could make are caught the way Stripe catches them.
    expect(await reject(stripe.invoiceItems.create({ customer: customer.id, amount: 500, quantity: 2, currency: 'eur' }))).toMatchObject({ statusCode: 400, message: 'You may only specify one of these parameters: amount, quantity.' });
    expect(await reject(stripe.customers.create({ emial: 'typo@example.com' } as Stripe.CustomerCreateParams))).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'emial' });
    expect(await reject(stripe.invoices.retrieve('in_missing'))).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such invoice: 'in_missing'" });

    // An invoice created without `currency` for a new customer is in the account currency, as at Stripe.
    const usd = await stripe.invoices.create({ customer: (await stripe.customers.create({ email: 'new@example.com' })).id });
    expect(usd.currency).toBe('usd');
    expect(await reject(stripe.invoiceItems.create({ customer: usd.customer as string, invoice: usd.id, amount: 500, currency: 'eur' }))).toMatchObject({ statusCode: 400, message: expect.stringMatching(/must match the currency of the invoice \(usd\)/) });
  });

  it('replays the stored answer for the same Idempotency-Key and parameters and does the work once', async () => {
    const first = await stripe.customers.create({ email: 'ada@example.com', metadata: { a: '1' } }, { idempotencyKey: 'k1' });
    const again = await stripe.customers.create({ email: 'ada@example.com', metadata: { a: '1' } }, { idempotencyKey: 'k1' });

    expect(again).toEqual(first);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(fake.customers.size).toBe(1);
    expect(eventTypes()).toEqual(['customer.created']);

    const otherParams = await stripe.customers.create({ email: 'bob@example.com' }, { idempotencyKey: 'k1' }).catch((e: unknown) => e);
    expect(otherParams).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(otherParams).toMatchObject({ statusCode: 400, message: expect.stringMatching(/^Keys for idempotent requests can only be used with the same parameters they were first used with/) });
    const otherPath = await stripe.invoices.create({ customer: first.id }, { idempotencyKey: 'k1' }).catch((e: unknown) => e);
    expect(otherPath).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    // Keys belong to the API key that sent them.
    await client('sk_test_other').customers.create({ email: 'bob@example.com' }, { idempotencyKey: 'k1' });
    expect(fake.customers.size).toBe(2);
  });

  it('stores no answer for a request that failed parameter validation, but replays a state error', async () => {
    const missing = await stripe.invoices.create({} as Stripe.InvoiceCreateParams, { idempotencyKey: 'k2' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'customer' });
    const customer = await stripe.customers.create({ email: 'ada@example.com' });
    // Other parameters under the same key are fine: the refused request left nothing under it.
    const invoice = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 7 }, { idempotencyKey: 'k2' });
    expect(invoice.lastResponse.headers['idempotent-replayed']).toBeUndefined();

    await stripe.invoices.sendInvoice(invoice.id, {}, { idempotencyKey: 'k3' }).catch(() => undefined);
    await stripe.invoices.finalizeInvoice(invoice.id);
    const replayed = await stripe.invoices.sendInvoice(invoice.id, {}, { idempotencyKey: 'k3' }).catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(replayed).toMatchObject({ statusCode: 400, message: expect.stringMatching(/only send invoices that are open/), headers: { 'idempotent-replayed': 'true' } });
  });

  it('leaves exactly one invoice when the create answer is lost and the SDK retries with the same key', async () => {
    const customer = await stripe.customers.create({ email: 'ada@example.com' });
    fake.dropResponse('POST', /^\/v1\/invoices$/);

    const invoice = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 7 });

    expect([...fake.invoices.keys()]).toEqual([invoice.id]);
    expect(eventTypes()).toEqual(['customer.created', 'invoice.created']);
    const attempts = fake.requests.filter((r) => r.path === '/v1/invoices');
    expect(attempts).toMatchObject([
      { dropped: true, replayed: false, status: 200 },
      { dropped: false, replayed: true, status: 200, idempotencyKey: attempts[0].idempotencyKey },
    ]);
    expect(attempts[0].idempotencyKey).toMatch(/^stripe-node-retry-/);
  });

  it('shows a caller whose answers are all lost a connection error although the work was done', async () => {
    const customer = await stripe.customers.create({ email: 'ada@example.com' });
    fake.dropResponse('POST', /^\/v1\/invoices$/, 2);
    // maxNetworkRetries 0 still retries a closed connection once.
    const err = await client('sk_test_x', 0).invoices.create({ customer: customer.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(fake.invoices.size).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/v1/invoices').map((r) => r.replayed)).toEqual([false, true]);
  });

  it('answers 409 to a request whose key is still in flight, and the SDK retry gets the first answer', async () => {
    fake.delay('POST', /^\/v1\/customers$/, 300);
    const create = () => stripe.customers.create({ email: 'ada@example.com' }, { idempotencyKey: 'k3' });
    const [a, b] = await Promise.all([create(), create()]);
    expect(b.id).toBe(a.id);
    expect(fake.customers.size).toBe(1);
    expect(fake.requests.map((r) => r.status)).toContain(409);
  });

  it('answers an injected 500 without doing the work, so the SDK retry does it once', async () => {
    fake.failNext('POST', /^\/v1\/customers$/, 500);
    const customer = await stripe.customers.create({ email: 'ada@example.com' });
    expect([...fake.customers.keys()]).toEqual([customer.id]);
    expect(fake.requests.map((r) => [r.status, r.replayed])).toEqual([[500, false], [200, false]]);

    fake.failNext('POST', /^\/v1\/customers$/, 503, 3);
    const err = await stripe.customers.create({ email: 'bob@example.com' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'StripeAPIError', statusCode: 503 });
    expect(fake.customers.size).toBe(1);
  });

  it('shows a webhook endpoint secret only in the create answer', async () => {
    const created = await stripe.webhookEndpoints.create({ url: 'https://handoff.test/hooks/stripe', enabled_events: ['invoice.paid', 'charge.refunded'] });
    expect(created).toMatchObject({ id: expect.stringMatching(/^we_/), object: 'webhook_endpoint', status: 'enabled', secret: expect.stringMatching(/^whsec_/) });
    expect(fake.webhookEndpoints.get(created.id)!.secret).toBe(created.secret);

    expect((await stripe.webhookEndpoints.retrieve(created.id)).secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.list()).data.map((w) => [w.id, w.secret])).toEqual([[created.id, undefined]]);
    const updated = await stripe.webhookEndpoints.update(created.id, { enabled_events: ['*'], disabled: true });
    expect(updated).toMatchObject({ enabled_events: ['*'], status: 'disabled' });
    expect(updated.secret).toBeUndefined();

    await stripe.webhookEndpoints.update(created.id, { disabled: false });
    expect(fake.addEvent('invoice.paid', { id: 'in_1', object: 'invoice' }).pending_webhooks).toBe(1);
    expect(await stripe.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
  });

  it('lists events newest first, filtered by type, types and created, in pages', async () => {
    const early = fake.addEvent('invoice.paid', { id: 'in_1' });
    const customerEvent = fake.addEvent('customer.created', { id: 'cus_1' });
    fake.advanceClock(100);
    const late = [fake.addEvent('invoice.payment_failed', { id: 'in_2' }), fake.addEvent('invoice.paid', { id: 'in_3' }), fake.addEvent('charge.refunded', { id: 'ch_1' })];

    const ids = async (params: Stripe.EventListParams) => (await stripe.events.list(params)).data.map((e) => e.id);
    expect(await ids({ type: 'invoice.paid' })).toEqual([late[1].id, early.id]);
    expect(await ids({ type: 'invoice.*' })).toEqual([late[1].id, late[0].id, early.id]);
    expect(await ids({ types: ['charge.refunded', 'customer.created'] })).toHaveLength(2);
    expect(await ids({ created: { gte: late[0].created } })).toEqual(late.map((e) => e.id).reverse());
    expect(await ids({ created: { gt: early.created } })).toHaveLength(3);

    const page = await stripe.events.list({ limit: 2 });
    expect(page.has_more).toBe(true);
    const next = await stripe.events.list({ limit: 2, starting_after: page.data[1].id });
    expect(next.data.map((e) => e.id)).toEqual([late[0].id, customerEvent.id]);
    expect(next.has_more).toBe(true);
    expect((await stripe.events.list({ limit: 2 }).autoPagingToArray({ limit: 10 })).map((e) => e.id)).toEqual([...fake.events.keys()].reverse());
  });

  it('refunds what is left by default and never more than is left', async () => {
    const pi = fake.addPaymentIntent({ amount: 5_000, currency: 'eur' });
    const part = await stripe.refunds.create({ payment_intent: pi.id, amount: 2_000, reason: 'requested_by_customer' });
    expect(part).toMatchObject({ id: expect.stringMatching(/^re_/), object: 'refund', status: 'succeeded', amount: 2_000, currency: 'eur', payment_intent: pi.id });

    const tooMuch = await stripe.refunds.create({ payment_intent: pi.id, amount: 4_000 }).catch((e: unknown) => e);
    expect(tooMuch).toMatchObject({ statusCode: 400, message: expect.stringMatching(/greater than unrefunded amount/) });
    expect((await stripe.refunds.create({ charge: pi.latest_charge })).amount).toBe(3_000);
    const none = await stripe.refunds.create({ payment_intent: pi.id }).catch((e: unknown) => e);
    expect(none).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    const unknown = await stripe.refunds.create({ payment_intent: 'pi_missing' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, message: "No such payment_intent: 'pi_missing'" });

    expect(fake.refunds.size).toBe(2);
    const lastCharge = [...fake.events.values()].filter((e) => e.type === 'charge.refunded').at(-1)!;
    expect(lastCharge.data.object).toMatchObject({ object: 'charge', amount_refunded: 5_000, refunded: true });
  });

  it('pays or fails an open invoice from the test side, and pays a zero invoice on finalize', async () => {
    const { customer, invoice } = await draftWithCustomer();
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 900, currency: 'eur' });
    await stripe.invoices.finalizeInvoice(invoice.id);

    expect(fake.failInvoicePayment(invoice.id)).toMatchObject({ type: 'invoice.payment_failed', data: { object: { id: invoice.id, status: 'open' } } });
    expect(fake.payInvoice(invoice.id)).toMatchObject({ type: 'invoice.paid', data: { object: { status: 'paid', amount_paid: 900, amount_remaining: 0 } } });
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
    expect(() => fake.payInvoice(invoice.id)).toThrow(/not open/);

    const empty = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 1, currency: 'eur' });
    expect((await stripe.invoices.finalizeInvoice(empty.id)).status).toBe('paid');
  });
});
