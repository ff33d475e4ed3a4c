import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../api/types';
import { actorLabel, changedList, describeEntry, hasActiveRun, humanize, intakeAnswers, orderTimeline } from './timeline';

const labels: Record<string, string> = { lead: 'Lead', proposal: 'Proposal', paid_won: 'Paid / won', onboarding: 'Onboarding' };
const labelOf = (k: string) => labels[k] ?? k;
const at = '2026-12-01T09:00:00.000Z';

describe('actorLabel', () => {
  it('names a person by e-mail, the client as the client, and a flow by name with its run', () => {
    expect(actorLabel({ type: 'user', id: 'sam@example.com' })).toBe('by sam@example.com');
    expect(actorLabel({ type: 'client', id: 'intake-1' })).toBe('by the client');
    expect(actorLabel({ type: 'run', id: '3f2a9c1e-0000-4000-8000-000000000001', flowName: 'Payment to onboarding' })).toBe('by flow Payment to onboarding (run 3f2a9c1e…)');
    expect(actorLabel({ type: 'run', id: 'r1', flowName: null })).toBe('by a flow (run r1)');
  });
});

describe('describeEntry', () => {
  it('reads a stage move with the stages’ labels, and who moved it', () => {
    const e: TimelineEntry = { at, kind: 'stage', from: 'proposal', to: 'paid_won', by: { type: 'user', id: 'sam@example.com' } };
    expect(describeEntry(e, labelOf)).toEqual({ title: 'Moved Proposal → Paid / won', actor: e.by });
    expect(describeEntry({ at, kind: 'created', stage: 'lead', by: e.by }, labelOf).title).toBe('Created in Lead');
  });

  it('lists changed fields in words', () => {
    expect(describeEntry({ at, kind: 'updated', changed: ['amount', 'recordType', 'product'], by: { type: 'user', id: 'a@b.c' } }, labelOf).title).toBe('Changed amount, record type and product');
    expect(changedList(['title'])).toBe('title');
  });

  it('names a run by its flow and what started it, with its status and run link', () => {
    const e: TimelineEntry = { at, kind: 'run', runId: 'r1', flowId: 'f1', flowName: 'Won deal hand-off', status: 'succeeded', trigger: 'deal.stage_changed' };
    expect(describeEntry(e, labelOf)).toEqual({ title: 'Flow Won deal hand-off ran', detail: 'on deal.stage_changed', status: 'succeeded', runId: 'r1' });
  });

  it('shows a payment’s amount in major units, and a message’s channel, recipient and subject', () => {
    expect(describeEntry({ at, kind: 'payment', runId: 'r1', eventId: 'evt_1', type: 'checkout.session.completed', amount: 120000, currency: 'usd', status: 'cleared' }, labelOf)).toMatchObject({
      title: 'Payment of $1,200.00',
      detail: 'checkout.session.completed',
      status: 'cleared',
    });
    expect(describeEntry({ at, kind: 'message', id: 'm1', runId: null, channel: 'email', recipient: 'client@example.com', subject: 'Welcome', status: 'held' }, labelOf)).toEqual({
      title: 'E-mail to client@example.com',
      detail: 'Welcome',
      status: 'held',
      runId: undefined,
    });
  });

  it('says what the client did with the intake form, and whom a task is for', () => {
    expect(describeEntry({ at, kind: 'intake', id: 'i1', status: 'submitted', openedAt: at, submittedAt: at, fields: [], answers: {} }, labelOf).title).toBe('The client answered the intake form');
    const task = describeEntry({ at, kind: 'task', id: 't1', title: 'Call the client', assignee: 'sam@example.com', status: 'open', dueAt: null, by: { type: 'run', id: 'r9', flowName: 'Won' } }, labelOf);
    expect(task).toMatchObject({ title: 'Task for sam@example.com: Call the client', status: 'open', actor: { type: 'run', flowName: 'Won' } });
  });
});

describe('intakeAnswers', () => {
  it('turns answer keys into readable questions, leaves empty answers out, and puts long notes last', () => {
    expect(intakeAnswers({ notes: 'Two offices.\nStart in Berlin.', company: 'Acme Ltd', primaryContact: 'Ada, ada@acme.test', kickoff_date: '2026-12-14', extra: '' })).toEqual([
      { key: 'company', label: 'Company', value: 'Acme Ltd' },
      { key: 'primaryContact', label: 'Primary contact', value: 'Ada, ada@acme.test' },
      { key: 'kickoff_date', label: 'Kickoff date', value: '2026-12-14' },
      { key: 'notes', label: 'Notes', value: 'Two offices.\nStart in Berlin.' },
    ]);
    expect(intakeAnswers(null)).toEqual([]);
    expect(humanize('teamSizeNow')).toBe('Team size now');
  });

  it('uses the form’s own questions and their order when it has them', () => {
    const fields = [
      { name: 'primaryContact', label: 'Primary contact (name and e-mail)' },
      { name: 'company', label: 'Company name' },
    ];
    expect(intakeAnswers({ company: 'Acme', primaryContact: 'Ada' }, fields)).toEqual([
      { key: 'primaryContact', label: 'Primary contact (name and e-mail)', value: 'Ada' },
      { key: 'company', label: 'Company name', value: 'Acme' },
    ]);
  });
});

describe('orderTimeline', () => {
  it('keeps newest first, and lists what one transaction did cause below effect', () => {
    const by = { type: 'user' as const, id: 'a@b.c' };
    const entries: TimelineEntry[] = [
      { at, kind: 'created', stage: 'paid_won', by },
      { at, kind: 'run', runId: 'r', flowId: 'f', flowName: 'F', status: 'succeeded', trigger: 'deal.created' },
      { at: '2026-12-01T09:00:01.000Z', kind: 'message', id: 'm', runId: 'r', channel: 'email', recipient: null, subject: null, status: 'held' },
      { at, kind: 'stage', from: 'lead', to: 'paid_won', by },
    ];
    expect(orderTimeline(entries).map((e) => e.kind)).toEqual(['message', 'run', 'stage', 'created']);
    const submitted: TimelineEntry = { at, kind: 'intake', id: 'i', status: 'submitted', openedAt: at, submittedAt: at, fields: [], answers: {} };
    const moved: TimelineEntry = { at, kind: 'stage', from: 'paid_won', to: 'onboarding', by: { type: 'client', id: 'i' } };
    expect(orderTimeline([submitted, moved]).map((e) => e.kind)).toEqual(['stage', 'intake']);
  });
});

describe('hasActiveRun', () => {
  it('is true while a run of the deal is queued or running, not while it waits for days', () => {
    const run = (status: string): TimelineEntry => ({ at, kind: 'run', runId: 'r', flowId: 'f', flowName: 'F', status, trigger: null });
    expect(hasActiveRun([run('succeeded'), run('running')])).toBe(true);
    expect(hasActiveRun([run('waiting'), run('failed')])).toBe(false);
    expect(hasActiveRun(undefined)).toBe(false);
  });
});
