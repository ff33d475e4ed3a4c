import { describe, expect, it } from 'vitest';
import type { FlowDoc } from '../store/types';
import { dataWarnings, missingPathsOf, sampleScopeFor, type RunData } from './dataScope';

const doc = (message: string, condition = "trigger.payment.status = 'cleared'"): FlowDoc => ({
  schema: 'handoff.flow/1',
  name: 'Paid',
  nodes: [
    { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'cleared', type: 'branch', position: { x: 0, y: 0 }, config: { condition } },
    { id: 'deal', type: 'crm.updateDeal', position: { x: 0, y: 0 }, config: { stage: 'paid_won' }, label: 'Win the deal' },
    { id: 'tell', type: 'notify', position: { x: 0, y: 0 }, config: { channel: 'slack', message } },
    { id: 'aside', type: 'delay', position: { x: 0, y: 0 }, config: { duration: 'P1D' } },
  ],
  edges: [
    { id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' },
    { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'deal' },
    { id: 'e3', source: 'deal', sourcePort: 'out', target: 'tell' },
  ],
});

const runData: RunData = {
  run: { id: 'r1', status: 'succeeded', test: true, startedAt: '2026-12-01T10:00:00.000Z' },
  trigger: { payment: { status: 'cleared', email: 'real@example.com' } },
  steps: { cleared: { output: { value: true }, runId: 'r1' }, deal: { output: { dealId: 'deal_9' }, runId: 'r0' } },
};

describe('sampleScopeFor', () => {
  it('uses the Stripe trigger’s declared sample before any run, and offers only earlier steps, nearest first', () => {
    const s = sampleScopeFor(doc('hi'), 'tell', null, 'f1');
    expect(s.triggerSource).toBe('sample');
    expect(s.scope.trigger).toMatchObject({ payment: { status: 'cleared', email: 'client@example.com' } });
    expect(s.upstream.map((u) => [u.id, u.label, u.source, u.trigger])).toEqual([
      ['deal', 'Win the deal', 'none', false],
      ['cleared', 'Branch', 'sample', false],
      ['paid', 'Stripe payment', 'sample', true],
    ]);
    // The branch declares its output's shape; the CRM step does not, so it has no data until a run.
    expect(s.scope.steps).toEqual({ cleared: { value: true }, paid: s.scope.trigger });
    expect(s.scope.flow).toEqual({ id: 'f1', name: 'Paid' });
  });

  it('prefers the newest run’s data for the trigger and the steps that have output', () => {
    const s = sampleScopeFor(doc('hi'), 'tell', runData);
    expect(s.triggerSource).toBe('test run');
    expect(s.scope.trigger).toEqual(runData.trigger);
    expect(s.scope.steps).toEqual({ deal: { dealId: 'deal_9' }, cleared: { value: true }, paid: runData.trigger });
    expect(s.scope.run).toMatchObject({ id: 'r1', test: true });
  });

  it('falls back to the declared sample when the newest run carried no trigger data', () => {
    expect(sampleScopeFor(doc('hi'), 'tell', { ...runData, trigger: null }).triggerSource).toBe('sample');
  });
});

describe('missingPathsOf and dataWarnings', () => {
  it('warns about a misspelt trigger path in a message, with the fix', () => {
    const [m] = missingPathsOf(doc('Paid: {{ trigger.paymnt.status }}'), 'tell', null);
    expect(m).toMatchObject({ field: 'message', path: 'trigger.paymnt.status', suggestion: 'trigger.payment.status' });
  });

  it('warns on the branch condition too and not once it is fixed', () => {
    expect(dataWarnings(doc('ok', "trigger.paymnt.status = 'cleared'"), null)).toEqual([
      {
        code: 'data.unknownPath',
        nodeId: 'cleared',
        path: 'config.condition',
        message: 'trigger.paymnt.status is not in the sample data (did you mean trigger.payment.status?)',
      },
    ]);
    expect(dataWarnings(doc('{{ trigger.payment.email }} {{ steps.deal.dealId }} {{ run.id }}'), runData)).toEqual([]);
  });

  it('reads the trigger as a step too, as the engine does', () => {
    expect(missingPathsOf(doc('{{ steps.paid.payment.email }}'), 'tell', null)).toEqual([]);
    expect(missingPathsOf(doc('{{ steps.paid.paymnt }}'), 'tell', null)[0].suggestion).toBe('steps.paid.payment');
  });

  it('judges a step’s output by its declared sample, or once a run has shown it, and flags a step that is not earlier', () => {
    expect(missingPathsOf(doc('{{ steps.cleared.valeu }}'), 'tell', null)[0].suggestion).toBe('steps.cleared.value');
    expect(missingPathsOf(doc('{{ steps.deal.anything }}'), 'tell', null)).toEqual([]);
    expect(missingPathsOf(doc('{{ steps.deal.dealid }}'), 'tell', runData)[0].suggestion).toBe('steps.deal.dealId');
    expect(missingPathsOf(doc('{{ steps.aside.x }}'), 'tell', runData)[0].message).toMatch(/does not run before this step/);
  });

  it('does not judge trigger paths when there is no trigger data at all', () => {
    const noSample: FlowDoc = { ...doc('{{ trigger.whatever }}'), nodes: doc('{{ trigger.whatever }}').nodes.map((n) => (n.id === 'paid' ? { ...n, type: 'manual.trigger' } : n)) };
    expect(missingPathsOf(noSample, 'tell', null)).toEqual([]);
  });
});
