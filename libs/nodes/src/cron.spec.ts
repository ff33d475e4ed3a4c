import { describe, expect, it } from 'vitest';
import { checkCron, checkTimezone, latestTick, nextFireTimes, nextTick } from './cron';

describe('checkCron', () => {
  it.each(['0 9 * * 1-5', '*/15 * * * *', '0 0 1 1,7 *', '30 8 * * 7', ' 0 12 1-15 * 0 ', '*/2 * * * * *', '0 9 * * MON-FRI'])('accepts %j', (cron) => {
    expect(checkCron(cron)).toBeNull();
  });

  it('refuses anything but 5 or 6 fields and says how many it got', () => {
    expect(checkCron('0 9 * *')).toMatch(/5 fields.*has 4$/);
    expect(checkCron('0 0 9 * * * 2030')).toMatch(/has 7$/);
    expect(checkCron('')).toMatch(/has 0$/);
  });

  it('says what is wrong with a field', () => {
    expect(checkCron('0 24 * * *')).toMatch(/hour|24/i);
    expect(checkCron('0 9 32 * *')).toMatch(/32|day/i);
    expect(checkCron('0 9 * * ?x')).not.toBeNull();
  });

  it('refuses a schedule that never fires', () => {
    expect(checkCron('0 0 30 2 *')).toBe('it never fires (no date matches it)');
  });
});

describe('checkTimezone', () => {
  it('accepts IANA names and refuses others', () => {
    expect(checkTimezone('Europe/Berlin')).toBeNull();
    expect(checkTimezone('UTC')).toBeNull();
    expect(checkTimezone('Mars/Olympus')).toMatch(/not an IANA time zone/);
  });
});

describe('fire times', () => {
  const at = new Date('2026-12-01T12:00:04.000Z');

  it('counts seconds when the schedule has six fields', () => {
    expect(nextFireTimes('*/2 * * * * *', 'UTC', 3, at).map((d) => d.toISOString())).toEqual([
      '2026-12-01T12:00:06.000Z',
      '2026-12-01T12:00:08.000Z',
      '2026-12-01T12:00:10.000Z',
    ]);
  });

  it('keeps local wall-clock time across a daylight-saving change', () => {
    // Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
    const runs = nextFireTimes('0 9 * * *', 'Europe/Berlin', 2, new Date('2026-03-28T00:00:00Z')).map((d) => d.toISOString());
    expect(runs).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });

  it('finds the tick at or before a moment, and the next one strictly after', () => {
    expect(latestTick('*/2 * * * * *', 'UTC', at)?.toISOString()).toBe('2026-12-01T12:00:04.000Z');
    expect(latestTick('*/2 * * * * *', 'UTC', new Date(at.getTime() + 1500))?.toISOString()).toBe('2026-12-01T12:00:04.000Z');
    expect(nextTick('*/2 * * * * *', 'UTC', at)?.toISOString()).toBe('2026-12-01T12:00:06.000Z');
  });

  it('gives no times for a broken schedule instead of throwing', () => {
    expect(nextFireTimes('nonsense', 'UTC', 5)).toEqual([]);
    expect(latestTick('0 9 * * *', 'Mars/Olympus', at)).toBeNull();
  });
});
