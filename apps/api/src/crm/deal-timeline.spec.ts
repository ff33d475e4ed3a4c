import { describe, expect, it } from 'vitest';
import { buildTimeline, TimelineParts } from './deal-timeline';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
const empty: TimelineParts = { changes: [], stages: [], runs: [], messages: [], intakes: [], tasks: [] };

describe('buildTimeline', () => {
  it('puts the newest first and says who or what did each thing, naming a run by its flow', () => {
    const timeline = buildTimeline({
      ...empty,
      stages: [
        { from_stage: null, to_stage: 'proposal', by_type: 'user', by: 'sam@example.com', at: at(1) },
        { from_stage: 'proposal', to_stage: 'paid_won', by_type: 'run', by: 'run-1', at: at(5) },
      ],
      runs: [{ id: 'run-1', flow_id: 'f1', flow_name: 'Payment to onboarding', status: 'succeeded', trigger_type: 'checkout.session.completed', event_id: 'evt_1', payment: { amount: 120000, currency: 'usd', status: 'cleared' }, created_at: at(4) }],
    });
    expect(timeline.map((e) => e.kind)).toEqual(['stage', 'run', 'payment', 'created']);
    expect(timeline[0]).toMatchObject({ from: 'proposal', to: 'paid_won', by: { type: 'run', id: 'run-1', flowName: 'Payment to onboarding' } });
    expect(timeline[2]).toMatchObject({ kind: 'payment', amount: 120000, eventId: 'evt_1' });
    expect(timeline[3]).toMatchObject({ kind: 'created', stage: 'proposal', by: { type: 'user', id: 'sam@example.com' } });
  });

  it('lists field changes without repeating stage moves, and skips a change that only moved the stage', () => {
    const timeline = buildTimeline({
      ...empty,
      changes: [
        { kind: 'deal.created', changed: [], by_type: 'user', by: 'a@example.com', at: at(1) },
        { kind: 'deal.updated', changed: ['stage'], by_type: 'user', by: 'a@example.com', at: at(2) },
        { kind: 'deal.updated', changed: ['amount', 'stage'], by_type: 'user', by: 'a@example.com', at: at(3) },
      ],
    });
    expect(timeline).toEqual([{ at: at(3).toISOString(), kind: 'updated', changed: ['amount'], by: { type: 'user', id: 'a@example.com' } }]);
  });

  it('shows the client’s intake answers, messages sent and tasks', () => {
    const timeline = buildTimeline({
      ...empty,
      intakes: [{ id: 'i1', status: 'submitted', fields: [{ name: 'company', label: 'Company name', required: true }], answers: { company: 'Acme' }, created_at: at(1), opened_at: at(2), submitted_at: at(3) }],
      messages: [{ id: 'm1', run_id: 'run-1', channel: 'email', recipient: 'client@example.com', subject: 'Welcome', status: 'sent', created_at: at(2) }],
      tasks: [{ id: 't1', title: 'Call', assignee: 'sales@example.com', status: 'open', due_at: at(9), by_type: 'run', by: 'run-9', created_at: at(4) }],
    });
    expect(timeline.map((e) => e.kind)).toEqual(['task', 'intake', 'message']);
    expect(timeline[1]).toMatchObject({ answers: { company: 'Acme' }, fields: [{ name: 'company', label: 'Company name' }], submittedAt: at(3).toISOString() });
    expect(timeline[0]).toMatchObject({ by: { type: 'run', id: 'run-9', flowName: null } });
  });
});
