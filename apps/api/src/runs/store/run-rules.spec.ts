import { describe, expect, it } from 'vitest';
import { claimable, resumeReason, runStatusFrom } from './run-rules';

describe('runStatusFrom', () => {
  it('is running while any step is queued, running or retrying, even with a failure', () => {
    expect(runStatusFrom({ active: 1, waiting: 1, failed: 1 })).toBe('running');
  });
  it('is failed once nothing moves and a step failed, even with another waiting', () => {
    expect(runStatusFrom({ active: 0, waiting: 1, failed: 1 })).toBe('failed');
  });
  it('is waiting when only waits are left, succeeded when nothing is', () => {
    expect(runStatusFrom({ active: 0, waiting: 2, failed: 0 })).toBe('waiting');
    expect(runStatusFrom({ active: 0, waiting: 0, failed: 0 })).toBe('succeeded');
  });
});

describe('claimable', () => {
  it('runs a queued or retrying step on a plain job, and a waiting step only on a resume', () => {
    expect(claimable('queued', false)).toBe(true);
    expect(claimable('retrying', false)).toBe(true);
    expect(claimable('waiting', true)).toBe(true);
    expect(claimable('waiting', false)).toBe(false);
    expect(claimable('queued', true)).toBe(false);
  });
  it('never runs a finished step again', () => {
    for (const s of ['succeeded', 'failed', 'skipped', 'cancelled']) expect(claimable(s, false)).toBe(false);
  });
});

describe('resumeReason', () => {
  const review = { id: 'r1', status: 'approved', decision: 'approve', note: 'ok', decided_by: 'owner@example.com' };
  it('prefers a decision over a captured event or a timer', () => {
    expect(resumeReason(review, { id: 'evt' })).toEqual({
      resume: { reason: 'review', decision: 'approve', note: 'ok', by: 'owner@example.com', reviewId: 'r1' },
      expireReview: null,
    });
  });
  it('wakes on a captured event next', () => {
    expect(resumeReason(null, { id: 'evt_1' })).toEqual({ resume: { reason: 'event', event: { id: 'evt_1' } }, expireReview: null });
  });
  it('falls back to the timer, expiring a review still pending', () => {
    expect(resumeReason({ ...review, status: 'pending', decision: null }, undefined)).toEqual({ resume: { reason: 'timer' }, expireReview: 'r1' });
    expect(resumeReason(null, null)).toEqual({ resume: { reason: 'timer' }, expireReview: null });
  });
});
