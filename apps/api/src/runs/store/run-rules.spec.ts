import { describe, expect, it } from 'vitest';
import { claimFrom, inputFrom, outputsOf, resumeReason, runStatusFrom, runStatusSql, stepInput } from './run-rules';

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
  it('is the same rule in the SQL that settles a run in one statement', () => {
    expect(runStatusSql('c')).toBe(`CASE WHEN c.active > 0 THEN 'running' WHEN c.failed > 0 THEN 'failed' WHEN c.waiting > 0 THEN 'waiting' ELSE 'succeeded' END`);
  });
});

describe('claimFrom', () => {
  const claimable = (status: string, resume: boolean) => claimFrom(resume).includes(status);
  it('runs a queued or retrying step on a plain job, and a waiting step only on a resume', () => {
    expect(claimable('queued', false)).toBe(true);
    expect(claimable('retrying', false)).toBe(true);
    expect(claimable('waiting', true)).toBe(true);
    expect(claimable('waiting', false)).toBe(false);
    expect(claimable('queued', true)).toBe(false);
  });
  it('never runs a finished step again', () => {
    for (const s of ['succeeded', 'failed', 'skipped', 'cancelled']) for (const resume of [false, true]) expect(claimable(s, resume)).toBe(false);
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
  it('closes a review still pending when an event that ends it woke the step', () => {
    expect(resumeReason({ ...review, status: 'pending', decision: null }, { id: 'evt_2' })).toEqual({ resume: { reason: 'event', event: { id: 'evt_2' } }, expireReview: 'r1' });
  });
  it('falls back to the timer, expiring a review still pending', () => {
    expect(resumeReason({ ...review, status: 'pending', decision: null }, undefined)).toEqual({ resume: { reason: 'timer' }, expireReview: 'r1' });
    expect(resumeReason(null, null)).toEqual({ resume: { reason: 'timer' }, expireReview: null });
  });
});

describe('inputFrom', () => {
  const done = (node_id: string, port: string, output: unknown, status = 'succeeded') => ({ node_id, status, port, output });
  it('is the trigger payload for a node without incoming edges', () => {
    expect(inputFrom([], [done('a', 'out', 1)], { t: 1 }).value).toEqual({ t: 1 });
  });
  it('is the output of the step whose edge led here, on the port it took', () => {
    const edges = [{ source: 'branch', sourcePort: 'false' }];
    expect(inputFrom(edges, [done('branch', 'true', 'yes')], null).value).toBeNull();
    expect(inputFrom(edges, [done('branch', 'false', 'no')], null).value).toBe('no');
  });
  it('takes the first finished source of a join, and a skipped step counts; a waiting one does not', () => {
    const edges = [{ source: 'a' }, { source: 'b' }];
    expect(inputFrom(edges, [done('b', 'out', 'B', 'waiting'), done('a', 'out', 'A', 'skipped'), done('b', 'out', 'B2')], null).value).toBe('A');
  });
});

describe('outputsOf', () => {
  it('maps node ids to outputs', () => {
    expect(outputsOf([{ node_id: 'a', status: 'succeeded', port: 'out', output: { x: 1 } }])).toEqual({ a: { x: 1 } });
  });
});

describe('inputFrom’s source and stepInput', () => {
  const finished = [
    { node_id: 'paid', status: 'succeeded', port: 'out', output: { paid: true } },
    { node_id: 'check', status: 'succeeded', port: 'false', output: { checked: 1 } },
    { node_id: 'other', status: 'failed', port: null, output: null },
  ];
  const trigger = { event: 'evt_1' };

  it('names the step whose output inputFrom takes, or the trigger, and stepInput gives the same value back', () => {
    const cases: Array<Array<{ source: string; sourcePort?: string }>> = [[], [{ source: 'paid' }], [{ source: 'check', sourcePort: 'false' }], [{ source: 'other' }, { source: 'paid' }]];
    const outputOf = (id: string) => finished.find((s) => s.node_id === id)?.output;
    for (const edges of cases) {
      const input = inputFrom(edges, finished, trigger);
      expect(stepInput({ input: null, inputFrom: input.from, prunedAt: null }, trigger, outputOf)).toEqual(input.value);
    }
    expect(inputFrom([], finished, trigger).from).toBe('');
    expect(inputFrom([{ source: 'check', sourcePort: 'true' }], finished, trigger).from).toBeNull();
  });

  it('keeps a step’s own copy, and shows nothing once the run’s payloads were pruned', () => {
    expect(stepInput({ input: { own: 1 }, inputFrom: null, prunedAt: null }, trigger, () => 'x')).toEqual({ own: 1 });
    expect(stepInput({ input: null, inputFrom: '', prunedAt: new Date() }, trigger, () => 'x')).toBeNull();
    expect(stepInput({ input: null, inputFrom: 'gone', prunedAt: null }, trigger, () => undefined)).toBeNull();
  });
});
