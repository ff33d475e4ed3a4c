import { describe, expect, it } from 'vitest';
import { changedFields, crmTriggerMatches, DealSnapshot } from './crm-trigger-match';

const deal: DealSnapshot = {
  id: 'd1',
  title: 'Acme',
  stage: 'proposal',
  amount: 120000,
  currency: 'usd',
  product: 'Onboarding',
  recordType: 'profit',
  fields: {},
  contact: { id: 'c1', email: 'a@example.com', name: null, stripeCustomerId: null },
  stripe: {},
};

describe('changedFields', () => {
  it('lists the fields that differ, none for a creation', () => {
    expect(changedFields(null, deal)).toEqual([]);
    expect(changedFields(deal, { ...deal, amount: 1, stripe: { invoiceId: 'in_1' } })).toEqual(['amount', 'stripe']);
    expect(changedFields(deal, { ...deal })).toEqual([]);
  });
});

describe('crmTriggerMatches', () => {
  const created = { kind: 'deal.created' as const, changed: [], deal };
  const amended = { kind: 'deal.updated' as const, changed: ['amount'], deal };
  const moved = { kind: 'deal.updated' as const, changed: ['stage'], deal: { ...deal, stage: 'paid_won' } };
  const writeBack = { kind: 'deal.updated' as const, changed: ['stripe'], deal };

  it('never lets a creation start an "updated" flow, or an update a "created" one', () => {
    expect(crmTriggerMatches({ on: 'deal.created' }, created)).toBe(true);
    expect(crmTriggerMatches({ on: 'deal.updated' }, created)).toBe(false);
    expect(crmTriggerMatches({ on: 'deal.created' }, amended)).toBe(false);
    expect(crmTriggerMatches({ on: 'deal.updated' }, amended)).toBe(true);
  });

  it('starts stage_changed flows on a move only, to the stage asked for', () => {
    expect(crmTriggerMatches({ on: 'deal.stage_changed' }, amended)).toBe(false);
    expect(crmTriggerMatches({ on: 'deal.stage_changed' }, moved)).toBe(true);
    expect(crmTriggerMatches({ on: 'deal.stage_changed', stage: 'paid_won' }, moved)).toBe(true);
    expect(crmTriggerMatches({ on: 'deal.stage_changed', stage: 'lost' }, moved)).toBe(false);
  });

  it('narrows updated flows to the fields named, so an invoice write-back does not start the invoice-update flow', () => {
    expect(crmTriggerMatches({ on: 'deal.updated', fields: ['amount', 'product'] }, amended)).toBe(true);
    expect(crmTriggerMatches({ on: 'deal.updated', fields: ['amount', 'product'] }, writeBack)).toBe(false);
    expect(crmTriggerMatches({ on: 'deal.updated' }, { ...amended, changed: [] })).toBe(false);
  });

  it('filters creations by stage', () => {
    expect(crmTriggerMatches({ on: 'deal.created', stage: 'proposal' }, created)).toBe(true);
    expect(crmTriggerMatches({ on: 'deal.created', stage: 'lead' }, created)).toBe(false);
  });
});
