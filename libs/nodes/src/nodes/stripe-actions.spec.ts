import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { stripeCustomer } from './stripe-customer';
import { stripeInvoice } from './stripe-invoice';
import { stripeRefund } from './stripe-refund';

const deal = {
  id: 'deal-1',
  title: 'Acme onboarding',
  stage: 'proposal',
  amount: 120000,
  currency: 'USD',
  product: 'Onboarding package',
  recordType: 'nonprofit',
  contact: { email: 'client@example.com', name: 'Ada Client', stripeCustomerId: null },
  stripe: {},
};
const credential = { credential: 'cred_stripe' };

describe('stripe.invoice', () => {
  it('invoices a CRM deal by default: its contact, one line of its amount, keyed by the step, tagged with the deal and its version', async () => {
    const { effects, result } = await runNode(stripeInvoice, { credential }, { trigger: { deal, change: { seq: '41' } }, idempotencyKey: 'deal:deal-1:invoice' });
    expect(effects.stripe).toEqual([
      {
        op: 'invoice',
        input: {
          credential: 'cred_stripe',
          idempotencyKey: 'deal:deal-1:invoice',
          customer: { email: 'client@example.com', name: 'Ada Client', customerId: null },
          items: [{ description: 'Onboarding package', amount: 120000, currency: 'usd', quantity: 1 }],
          existingInvoiceId: null,
          version: '41',
          daysUntilDue: 30,
          send: true,
          metadata: { handoff_deal_id: 'deal-1' },
        },
      },
    ]);
    expect(result).toMatchObject({ port: 'out', output: { invoiceId: 'in_fake', amountDue: 120000 } });
  });

  it('passes the invoice it replaces, and refuses items it cannot invoice, saying which', async () => {
    const { effects } = await runNode(stripeInvoice, { credential, existingInvoiceId: '{{ trigger.deal.stripe.invoiceId }}' }, { trigger: { deal: { ...deal, stripe: { invoiceId: 'in_1' } } }, idempotencyKey: 'k' });
    expect(effects.stripe[0].input).toMatchObject({ existingInvoiceId: 'in_1' });
    await expect(runNode(stripeInvoice, { credential, items: [{ description: 'x', amount: '12.50', currency: 'usd' }] }, { trigger: { deal }, idempotencyKey: 'k' })).rejects.toThrow(/items\[0\]\.amount must be a whole number/);
    await expect(runNode(stripeInvoice, { credential, items: [{ description: 'x', amount: '100', currency: 'dollars' }] }, { trigger: { deal }, idempotencyKey: 'k' })).rejects.toThrow(/three-letter currency/);
    await expect(
      runNode(stripeInvoice, { credential, items: [{ description: 'a', amount: '1', currency: 'usd' }, { description: 'b', amount: '1', currency: 'eur' }] }, { trigger: { deal }, idempotencyKey: 'k' }),
    ).rejects.toThrow(/same currency/);
  });

  it('names the line after the deal title when the deal has no product', async () => {
    const { effects } = await runNode(stripeInvoice, { credential }, { trigger: { deal: { ...deal, product: null } }, idempotencyKey: 'k' });
    expect(effects.stripe[0].input).toMatchObject({ items: [{ description: 'Acme onboarding' }] });
  });

  it('needs a credential to publish', () => {
    expect(stripeInvoice.config.safeParse({}).success).toBe(false);
  });
});

describe('stripe.customer', () => {
  it('finds or creates by the deal contact, and refuses a run with neither id nor e-mail', async () => {
    const { effects } = await runNode(stripeCustomer, { credential }, { trigger: { deal }, idempotencyKey: 'k' });
    expect(effects.stripe[0]).toMatchObject({ op: 'customer', input: { email: 'client@example.com', customerId: null, idempotencyKey: 'k' } });
    await expect(runNode(stripeCustomer, { credential }, { trigger: {}, idempotencyKey: 'k' })).rejects.toThrow(/both the customer id and the e-mail are empty/);
  });
});

describe('stripe.refund', () => {
  it('refunds what is left of the payment by default, or an amount', async () => {
    const trigger = { event: { data: { object: { payment_intent: 'pi_123' } } } };
    const all = await runNode(stripeRefund, { credential }, { trigger, idempotencyKey: 'k' });
    expect(all.effects.stripe[0].input).toMatchObject({ payment: 'pi_123', amount: null, reason: null });
    const part = await runNode(stripeRefund, { credential, amount: '500', reason: 'requested_by_customer' }, { trigger, idempotencyKey: 'k' });
    expect(part.effects.stripe[0].input).toMatchObject({ amount: 500, reason: 'requested_by_customer' });
    await expect(runNode(stripeRefund, { credential, payment: 'nope' }, { trigger, idempotencyKey: 'k' })).rejects.toThrow(/payment intent \(pi_…\) or charge/);
  });
});
