import type { CrmTask } from '../../../api/types';

/**
 * Open tasks by when they are due (overdue first, then soonest; undated last, newest first);
 * done tasks by when they were done, latest first.
 */
export function sortTasks(tasks: readonly CrmTask[]): CrmTask[] {
  const due = (t: CrmTask) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  const done = (t: CrmTask) => (t.completedAt ? Date.parse(t.completedAt) : 0);
  return [...tasks].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
    if (a.status === 'done') return done(b) - done(a);
    return due(a) - due(b) || Date.parse(b.createdAt) - Date.parse(a.createdAt);
  });
}

/** A `datetime-local` value ("2026-12-02T17:00", the user's clock) as the ISO time the API takes; null when empty or invalid. */
export function dueAtFromInput(value: string): string | null {
  if (!value.trim()) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The deal a task belongs to, as a short name: its title, else the client's e-mail. */
export function taskDealName(t: Pick<CrmTask, 'deal'>): string | null {
  if (!t.deal) return null;
  return t.deal.title || t.deal.contactEmail || 'Untitled deal';
}
