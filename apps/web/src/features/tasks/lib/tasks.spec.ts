import { describe, expect, it } from 'vitest';
import type { CrmTask } from '../../../api/types';
import { dueAtFromInput, sortTasks, taskDealName } from './tasks';

const task = (id: string, over: Partial<CrmTask> = {}): CrmTask => ({
  id,
  dealId: null,
  deal: null,
  title: id,
  assignee: 'sam@example.com',
  status: 'open',
  dueAt: null,
  overdue: false,
  createdBy: { type: 'user', id: 'sam@example.com' },
  runId: null,
  createdAt: '2026-12-01T09:00:00Z',
  completedAt: null,
  completedBy: null,
  ...over,
});

describe('sortTasks', () => {
  it('puts open tasks first by due date, undated ones last, then done tasks latest first', () => {
    const sorted = sortTasks([
      task('undated'),
      task('done-early', { status: 'done', completedAt: '2026-12-01T10:00:00Z' }),
      task('tomorrow', { dueAt: '2026-12-02T09:00:00Z' }),
      task('overdue', { dueAt: '2026-11-30T09:00:00Z', overdue: true }),
      task('done-late', { status: 'done', completedAt: '2026-12-01T12:00:00Z' }),
    ]);
    expect(sorted.map((t) => t.id)).toEqual(['overdue', 'tomorrow', 'undated', 'done-late', 'done-early']);
  });
});

describe('dueAtFromInput', () => {
  it('reads the picker’s local time as an ISO instant, and nothing as no due date', () => {
    expect(dueAtFromInput('2026-12-02T17:00')).toBe(new Date(2026, 11, 2, 17, 0).toISOString());
    expect(dueAtFromInput('')).toBeNull();
    expect(dueAtFromInput('soon')).toBeNull();
  });
});

describe('taskDealName', () => {
  it('names the deal by title, else by the client’s e-mail', () => {
    expect(taskDealName({ deal: { id: 'd', title: 'Acme', contactEmail: 'a@acme.test' } })).toBe('Acme');
    expect(taskDealName({ deal: { id: 'd', title: null, contactEmail: 'a@acme.test' } })).toBe('a@acme.test');
    expect(taskDealName({ deal: null })).toBeNull();
  });
});
