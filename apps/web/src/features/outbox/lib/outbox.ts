import type { OutboxMessage } from '../../../api/types';

/** The statuses the filter offers, in the order people look for trouble. */
export const OUTBOX_STATUSES = ['held', 'retrying', 'dead', 'pending', 'sending', 'sent'] as const;

/** Only a dead letter or a held message (no connector when it was queued) goes back to delivery. */
export function canRetry(status: string): boolean {
  return status === 'dead' || status === 'held';
}

/** "2 of 5" attempts; a held message has made none. */
export function attemptsLabel(m: Pick<OutboxMessage, 'attempts' | 'maxAttempts'>): string {
  return `${m.attempts} of ${m.maxAttempts}`;
}

/** Why a message is where it is, in one line for the table. */
export function outboxReason(m: Pick<OutboxMessage, 'status' | 'lastError' | 'history'>): string | null {
  if (m.status === 'held') return m.lastError ?? 'Held: the step had no credential to send with.';
  if (m.lastError) return m.lastError;
  const lastFailure = [...m.history].reverse().find((h) => !h.ok && h.error);
  return lastFailure?.error ?? null;
}

/** Attempts newest first, for the expanded row. */
export function attemptsNewestFirst(m: Pick<OutboxMessage, 'history'>): OutboxMessage['history'] {
  return [...m.history].sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
}
