import { getNodeType, scheduleTrigger } from '@handoff/nodes';
import { describe, expect, it } from 'vitest';
import { formatFireTimes, nextRunsOf } from './nextRuns';

// Monday 30 November 2026, 12:00 UTC.
const from = new Date('2026-11-30T12:00:00Z');

describe('nextRunsOf', () => {
  it('lists the next five weekday mornings in the schedule’s zone', () => {
    const next = nextRunsOf(scheduleTrigger, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' }, from);
    expect(next).toEqual({
      ok: true,
      timezone: 'Europe/Berlin',
      times: ['2026-12-01T08:00:00Z', '2026-12-02T08:00:00Z', '2026-12-03T08:00:00Z', '2026-12-04T08:00:00Z', '2026-12-07T08:00:00Z'].map((t) => new Date(t)),
    });
  });

  it('fills in the schedule’s defaults, as the scheduler does', () => {
    const next = nextRunsOf(scheduleTrigger, {}, from, 2);
    expect(next).toEqual({ ok: true, timezone: 'UTC', times: [new Date('2026-12-01T09:00:00Z'), new Date('2026-12-02T09:00:00Z')] });
  });

  it('says why an invalid schedule has no next runs', () => {
    expect(nextRunsOf(scheduleTrigger, { cron: '0 9 * *' }, from)).toEqual({ ok: false, field: 'cron', reason: expect.stringMatching(/^cron is not a valid schedule: A cron schedule has 5 fields/) });
    expect(nextRunsOf(scheduleTrigger, { timezone: 'Mars/Olympus' }, from)).toEqual({ ok: false, field: 'timezone', reason: expect.stringMatching(/^timezone must be an IANA time zone/) });
  });

  it('says so when a valid-looking schedule never fires', () => {
    expect(nextRunsOf(scheduleTrigger, { cron: '0 0 30 2 *' }, from)).toMatchObject({ ok: false });
  });

  it('is null for triggers without a schedule and for unknown types', () => {
    expect(nextRunsOf(getNodeType('crm.trigger'), {}, from)).toBeNull();
    expect(nextRunsOf(undefined, {}, from)).toBeNull();
  });
});

describe('formatFireTimes', () => {
  it('writes weekday, day, month and 24-hour time followed by the zone', () => {
    const times = [new Date('2026-12-01T08:00:00Z'), new Date('2026-12-01T16:30:00Z')];
    expect(formatFireTimes(times, 'Europe/Berlin', from)).toEqual(['Tue 1 Dec, 09:00 Europe/Berlin', 'Tue 1 Dec, 17:30 Europe/Berlin']);
    expect(formatFireTimes(times, 'America/New_York', from)).toEqual(['Tue 1 Dec, 03:00 America/New_York', 'Tue 1 Dec, 11:30 America/New_York']);
  });

  it('shows seconds only for schedules that have them', () => {
    const times = [new Date('2026-12-01T08:00:00Z'), new Date('2026-12-01T08:00:30Z')];
    expect(formatFireTimes(times, 'UTC', from)).toEqual(['Tue 1 Dec, 08:00:00 UTC', 'Tue 1 Dec, 08:00:30 UTC']);
  });

  it('shows the year once a time falls in another year', () => {
    const times = [new Date('2026-12-31T09:00:00Z'), new Date('2027-01-01T09:00:00Z')];
    expect(formatFireTimes(times, 'UTC', from)).toEqual(['Thu 31 Dec 2026, 09:00 UTC', 'Fri 1 Jan 2027, 09:00 UTC']);
  });
});
