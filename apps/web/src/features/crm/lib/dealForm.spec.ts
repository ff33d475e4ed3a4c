import { describe, expect, it } from 'vitest';
import type { Deal } from '../../../api/types';
import { dealPatch, formFromDeal, newDealBody, type NewDealValues } from './dealForm';

const form: NewDealValues = { title: ' Acme rollout ', email: ' ada@acme.test ', name: '', stage: 'proposal', amount: '1,200.50', currency: 'USD', product: '', recordType: 'nonprofit' };

const deal: Deal = {
  id: 'd1',
  title: 'Acme rollout',
  contactId: 'c1',
  contact: { name: 'Ada', email: 'ada@acme.test', stripeCustomerId: null },
  stage: 'proposal',
  amount: 120050,
  currency: 'usd',
  product: null,
  recordType: 'profit',
  stripe: { customerId: null, invoiceId: null, invoiceUrl: null, paymentStatus: null },
  runId: null,
  intake: null,
  updatedAt: '2026-12-01T09:00:00Z',
};

describe('newDealBody', () => {
  it('sends the amount in minor units, trimmed text, and null for what was left empty', () => {
    expect(newDealBody(form)).toEqual({
      ok: true,
      value: { title: 'Acme rollout', contact: { email: 'ada@acme.test', name: null }, stage: 'proposal', amount: 120050, currency: 'usd', product: null, recordType: 'nonprofit' },
    });
  });

  it('names every field to fix at once', () => {
    expect(newDealBody({ ...form, email: 'ada', amount: '12.345', currency: 'dollars', stage: '' })).toEqual({
      ok: false,
      errors: { email: 'This is not an e-mail address', stage: 'Pick a stage', currency: 'Pick a three-letter currency code such as USD', amount: 'USD has at most 2 decimals' },
    });
    expect(newDealBody({ ...form, email: '' })).toMatchObject({ ok: false, errors: { email: 'The client’s e-mail is required' } });
  });
});

describe('dealPatch', () => {
  it('sends nothing when nothing changed', () => {
    expect(dealPatch(deal, formFromDeal(deal))).toEqual({ ok: true, value: {} });
  });

  it('sends only the changed fields, the amount in minor units, cleared text as null', () => {
    const v = { ...formFromDeal(deal), title: '', amount: '1300', product: 'Onboarding', recordType: 'nonprofit' as const };
    expect(dealPatch(deal, v)).toEqual({ ok: true, value: { title: null, amount: 130000, product: 'Onboarding', recordType: 'nonprofit' } });
  });

  it('reads the amount in the new currency when the currency changes', () => {
    expect(dealPatch(deal, { ...formFromDeal(deal), currency: 'jpy', amount: '1200' })).toEqual({ ok: true, value: { amount: 1200, currency: 'jpy' } });
    expect(dealPatch(deal, { ...formFromDeal(deal), currency: 'jpy' })).toEqual({ ok: false, errors: { amount: 'JPY has no decimals' } });
  });
});
