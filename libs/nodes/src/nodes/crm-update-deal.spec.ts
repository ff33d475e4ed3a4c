import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { crmUpdateDeal } from './crm-update-deal';

describe('crm.updateDeal', () => {
  it('moves the paying customer’s deal to paid_won with amount, currency and product from the payment', async () => {
    const { result, effects } = await runNode(crmUpdateDeal, {}, { event: sampleEvent('checkout_paid') });
    expect(effects.crm).toEqual([
      {
        connection: 'builtin',
        credential: undefined,
        customerId: 'cus_QXg1o8vcGmoR32',
        email: 'client@example.com',
        name: 'Jenny Rosen',
        stage: 'paid_won',
        amount: 250000,
        currency: 'usd',
        product: 'Onboarding package',
        fields: {},
        objectId: sampleEvent('checkout_paid').data?.object?.id,
        // What finds this deal again for the payment's refund.
        stripe: { paymentIntentId: sampleEvent('checkout_paid').data?.object?.payment_intent },
      },
    ]);
    expect(sampleEvent('checkout_paid').data?.object?.payment_intent).toMatch(/^pi_/);
    expect(result).toEqual({ port: 'out', output: { dealId: 'deal_1', stage: 'paid_won' } });
  });

  it('passes the credential id and rendered extra fields to HubSpot', async () => {
    const config = { connection: 'hubspot', credential: { credential: 'cred_hs' }, stage: 'closedwon', fields: { source: 'stripe {{ trigger.payment.objectType }}', cents: '{{ trigger.payment.amount }}' } };
    const { effects } = await runNode(crmUpdateDeal, config, { event: sampleEvent('invoice_paid') });
    expect(effects.crm[0]).toMatchObject({ connection: 'hubspot', credential: 'cred_hs', stage: 'closedwon', fields: { source: 'stripe invoice', cents: '250000' } });
  });

  it('sends null, not empty strings, for details the payment does not have', async () => {
    const { effects } = await runNode(crmUpdateDeal, {}, { trigger: { payment: { email: 'a@example.com' } } });
    expect(effects.crm[0]).toMatchObject({ customerId: null, email: 'a@example.com', name: null, amount: null, currency: null, product: null });
  });

  it('passes the Stripe object id external CRMs key the deal by, and null when there is none', async () => {
    const { effects } = await runNode(crmUpdateDeal, { objectId: 'in_{{ trigger.n }}' }, { trigger: { n: 7, payment: { email: 'a@example.com' } } });
    expect(effects.crm[0].objectId).toBe('in_7');
    expect((await runNode(crmUpdateDeal, {}, { trigger: { payment: { email: 'a@example.com' } } })).effects.crm[0].objectId).toBeNull();
  });

  it('reads an amount typed as text', async () => {
    const { effects } = await runNode(crmUpdateDeal, { amount: '1999', email: 'a@example.com' }, {});
    expect(effects.crm[0].amount).toBe(1999);
  });

  it('fails clearly for an amount that is not whole minor units', async () => {
    await expect(runNode(crmUpdateDeal, { amount: '19.99', email: 'a@example.com' }, {})).rejects.toThrow('amount must be a whole number of minor units (cents), got "19.99"');
  });

  it('refuses to write a deal it cannot key by customer id or e-mail', async () => {
    await expect(runNode(crmUpdateDeal, {}, { trigger: {} })).rejects.toThrow(/both the customer id and the e-mail are empty/);
  });

  it('needs a credential for HubSpot and Salesforce but not for the built-in CRM', () => {
    expect(crmUpdateDeal.config.safeParse({ connection: 'salesforce' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['credential'], message: 'is required to reach Salesforce' }),
    ]);
    expect(crmUpdateDeal.config.safeParse({ connection: 'builtin' }).success).toBe(true);
  });
});
