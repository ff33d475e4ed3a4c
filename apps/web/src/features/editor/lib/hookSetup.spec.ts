import { describe, expect, it } from 'vitest';
import { getNodeType } from '@handoff/nodes';
import { endpointMessage, hookSetupOf, reconcileMessage } from './hookSetup';

const flowId = '6f1c1e2a-0000-4000-8000-000000000001';
const stripe = getNodeType('stripe.trigger');

describe('hookSetupOf', () => {
  it('offers endpoint set-up and reconciliation for a webhook trigger holding an API key, at the hook’s API routes', () => {
    expect(hookSetupOf(stripe, { events: ['invoice.paid'], apiKey: { credential: 'cred-1' } }, flowId)).toEqual({
      provider: 'Stripe',
      endpointPath: `/api/flows/${flowId}/stripe/endpoint`,
      reconcilePath: `/api/flows/${flowId}/stripe/reconcile`,
    });
  });

  it('offers nothing without an API key credential, or for triggers without a webhook', () => {
    expect(hookSetupOf(stripe, { events: ['invoice.paid'] }, flowId)).toBeNull();
    expect(hookSetupOf(stripe, { apiKey: 'sk_test_inline' }, flowId)).toBeNull();
    expect(hookSetupOf(getNodeType('schedule.trigger'), { apiKey: { credential: 'cred-1' } }, flowId)).toBeNull();
    expect(hookSetupOf(getNodeType('branch'), { apiKey: { credential: 'cred-1' } }, flowId)).toBeNull();
    expect(hookSetupOf(undefined, { apiKey: { credential: 'cred-1' } }, flowId)).toBeNull();
  });
});

describe('set-up messages', () => {
  it('says what the endpoint call did', () => {
    const base = { url: 'https://x/hooks/stripe/f', signingSecret: { credential: 'c' } };
    expect(endpointMessage({ ...base, endpointId: 'we_1', events: ['invoice.paid', 'invoice.payment_failed'], created: true })).toBe(
      'Created endpoint we_1 for 2 events; its signing secret is now on this trigger. Publish to go live.',
    );
    expect(endpointMessage({ ...base, endpointId: 'we_1', events: ['invoice.paid'], created: true })).toContain('for 1 event;');
    expect(endpointMessage({ ...base, endpointId: 'we_1', events: ['invoice.paid'], created: false })).toBe('Endpoint we_1 was already there; events brought up to date.');
  });

  it('says how many events reconciliation checked and ingested', () => {
    expect(reconcileMessage({ checked: 3, ingested: 1, eventIds: ['evt_1'] })).toBe('Checked 3 events, ingested 1.');
    expect(reconcileMessage({ checked: 1, ingested: 0, eventIds: [] })).toBe('Checked 1 event, ingested 0.');
  });
});
