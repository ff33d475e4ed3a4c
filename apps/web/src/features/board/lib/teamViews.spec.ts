import { describe, expect, it } from 'vitest';
import type { Deal } from '../../../api/types';
import { boardColumns, dealQueries, mergeDeals, teamViewOf } from './teamViews';

const deal = (id: string, stage: string, updatedAt: string): Deal => ({
  id,
  stage,
  updatedAt,
  title: null,
  contactId: 'c',
  contact: { name: null, email: null, stripeCustomerId: null },
  amount: null,
  currency: null,
  product: null,
  recordType: null,
  stripe: { customerId: null, invoiceId: null, invoiceUrl: null, paymentStatus: null },
  runId: null,
  intake: null,
});

const stages = ['lead', 'proposal', 'payment_review', 'paid_won', 'onboarding', 'active', 'lost'].map((key) => ({ key, label: key }));

describe('dealQueries', () => {
  it('asks for test deals only when the toggle is on', () => {
    expect(dealQueries({ view: 'sales' })[0]).not.toHaveProperty('includeTest');
    expect(dealQueries({ view: 'sales', includeTest: true })[0]).toMatchObject({ includeTest: 'true' });
  });

  it('asks sales for leads, proposals and won deals, and delivery for onboarding and active', () => {
    expect(dealQueries({ view: 'sales' })).toEqual([{ stage: 'lead,proposal,paid_won', limit: '200' }]);
    expect(dealQueries({ view: 'delivery' })).toEqual([{ stage: 'onboarding,active', limit: '200' }]);
  });

  it('asks finance twice: deals in payment review, and deals whose invoice is failed or open', () => {
    expect(dealQueries({ view: 'finance' })).toEqual([
      { stage: 'payment_review', limit: '200' },
      { paymentStatus: 'failed,open', limit: '200' },
    ]);
  });

  it('adds the record type and the search to every request, and leaves out what is empty or unknown', () => {
    expect(dealQueries({ view: 'finance', recordType: 'nonprofit', q: ' acme ' })).toEqual([
      { stage: 'payment_review', recordType: 'nonprofit', q: 'acme', limit: '200' },
      { paymentStatus: 'failed,open', recordType: 'nonprofit', q: 'acme', limit: '200' },
    ]);
    expect(dealQueries({ view: 'all', recordType: 'charity', q: '  ' })).toEqual([{ limit: '200' }]);
  });

  it('reads an unknown view as all deals', () => {
    expect(teamViewOf('marketing').key).toBe('all');
    expect(teamViewOf(null).key).toBe('all');
  });
});

describe('mergeDeals', () => {
  it('lists a deal found by both finance requests once, most recently touched first', () => {
    const a = deal('a', 'payment_review', '2026-12-01T10:00:00Z');
    const b = deal('b', 'proposal', '2026-12-01T11:00:00Z');
    expect(mergeDeals([[a], [b, a]]).map((d) => d.id)).toEqual(['b', 'a']);
  });
});

describe('boardColumns', () => {
  it('shows every stage for all deals, and only the team’s stages (even empty) for a team', () => {
    expect(boardColumns(stages, teamViewOf('all'), []).map((c) => c.key)).toEqual(stages.map((s) => s.key));
    expect(boardColumns(stages, teamViewOf('sales'), []).map((c) => c.key)).toEqual(['lead', 'proposal', 'paid_won']);
  });

  it('adds, in pipeline order, the stages where finance’s open or failed invoices sit', () => {
    const deals = [deal('a', 'onboarding', '2026-12-01T10:00:00Z'), deal('b', 'proposal', '2026-12-01T10:00:00Z')];
    expect(boardColumns(stages, teamViewOf('finance'), deals).map((c) => c.key)).toEqual(['proposal', 'payment_review', 'onboarding']);
  });

  it('keeps a deal in a stage the pipeline no longer lists visible, under its key', () => {
    expect(boardColumns(stages.slice(0, 2), teamViewOf('all'), [deal('a', 'archived', '2026-12-01T10:00:00Z')]).at(-1)).toEqual({ key: 'archived', label: 'archived' });
  });
});
