import { describe, expect, it } from 'vitest';
import { attemptsLabel, attemptsNewestFirst, canRetry, outboxReason } from './outbox';

describe('outbox helpers', () => {
  it('offers retry only for dead and held messages', () => {
    expect(canRetry('dead')).toBe(true);
    expect(canRetry('held')).toBe(true);
    for (const s of ['pending', 'sending', 'sent', 'retrying']) expect(canRetry(s)).toBe(false);
  });

  it('labels attempts as used of allowed', () => {
    expect(attemptsLabel({ attempts: 2, maxAttempts: 5 })).toBe('2 of 5');
  });

  it('explains a held message without an error as missing its credential', () => {
    expect(outboxReason({ status: 'held', lastError: null, history: [] })).toMatch(/no credential/i);
  });

  it('prefers the last error, then the newest failed attempt', () => {
    expect(outboxReason({ status: 'dead', lastError: 'HTTP 500', history: [] })).toBe('HTTP 500');
    const history = [
      { at: '2026-01-01T00:00:00Z', ok: false, error: 'first' },
      { at: '2026-01-01T00:01:00Z', ok: false, error: 'second' },
    ];
    expect(outboxReason({ status: 'retrying', lastError: null, history })).toBe('second');
    expect(outboxReason({ status: 'sent', lastError: null, history: [{ at: '2026-01-01T00:00:00Z', ok: true }] })).toBeNull();
  });

  it('lists attempts newest first without changing the message', () => {
    const history = [
      { at: '2026-01-01T00:00:00Z', ok: false, error: 'a' },
      { at: '2026-01-01T00:05:00Z', ok: true },
    ];
    expect(attemptsNewestFirst({ history }).map((h) => h.ok)).toEqual([true, false]);
    expect(history[0].error).toBe('a');
  });
});
