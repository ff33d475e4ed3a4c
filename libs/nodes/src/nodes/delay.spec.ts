import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { delay } from './delay';

describe('delay', () => {
  it('first asks to wait until now plus the duration', async () => {
    const { result } = await runNode(delay, { duration: 'P30D' }, { now: '2026-01-05T09:00:00.000Z' });
    expect(result).toEqual({ wait: { until: '2026-02-04T09:00:00.000Z', output: { until: '2026-02-04T09:00:00.000Z' } } });
  });

  it('continues on "out" when its timer fires', async () => {
    const { result } = await runNode(delay, { duration: 'PT5S' }, { resume: { reason: 'timer' }, now: '2026-01-05T09:00:05.000Z' });
    expect(result).toEqual({ port: 'out', output: { waited: 'PT5S', resumedAt: '2026-01-05T09:00:05.000Z' } });
  });

  it('fails when resumed by anything but its timer', async () => {
    await expect(runNode(delay, {}, { resume: { reason: 'event', event: {} } })).rejects.toThrow('A delay only resumes on its timer, not on an event');
  });

  it('refuses durations that are not ISO-8601 or longer than ten years', () => {
    expect(delay.config.safeParse({ duration: '30 days' }).error?.issues[0].message).toMatch(/ISO-8601 duration/);
    expect(delay.config.safeParse({ duration: 'P11Y' }).error?.issues[0].message).toBe('must be at most 10 years');
  });
});
