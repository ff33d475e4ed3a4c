import { describe, expect, it } from 'vitest';
import { addDuration, approximateSeconds, isDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it('reads days, time parts and combined durations', () => {
    expect(parseDuration('P30D')).toEqual({ years: 0, months: 0, weeks: 0, days: 30, hours: 0, minutes: 0, seconds: 0 });
    expect(parseDuration('PT5S')?.seconds).toBe(5);
    expect(parseDuration('P1Y2M3W4DT5H6M7.5S')).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 });
  });

  it('tells minutes (after T) from months (before T)', () => {
    expect(parseDuration('P1M')).toMatchObject({ months: 1, minutes: 0 });
    expect(parseDuration('PT1M')).toMatchObject({ months: 0, minutes: 1 });
  });

  it('accepts lower case and surrounding spaces as people type them', () => {
    expect(parseDuration(' p3d ')?.days).toBe(3);
  });

  it.each(['', 'P', 'PT', 'P1DT', '30D', 'P-1D', 'P1.5D', 'PT1H2', 'P1D2H', '1 day'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
    expect(isDuration(text)).toBe(false);
  });
});

describe('addDuration', () => {
  const at = (iso: string) => new Date(iso);
  const add = (iso: string, d: string) => addDuration(at(iso), parseDuration(d) ?? fail(d)).toISOString();
  const fail = (d: string): never => {
    throw new Error(`bad test duration ${d}`);
  };

  it('adds days and time in UTC', () => {
    expect(add('2026-01-05T09:00:00.000Z', 'P30D')).toBe('2026-02-04T09:00:00.000Z');
    expect(add('2026-01-05T09:00:00.000Z', 'PT5S')).toBe('2026-01-05T09:00:05.000Z');
    expect(add('2026-01-05T09:00:00.000Z', 'P1WT1H30M')).toBe('2026-01-12T10:30:00.000Z');
  });

  it('clamps to the last day of a shorter month instead of spilling over', () => {
    expect(add('2026-01-31T12:00:00.000Z', 'P1M')).toBe('2026-02-28T12:00:00.000Z');
    expect(add('2028-01-31T12:00:00.000Z', 'P1M')).toBe('2028-02-29T12:00:00.000Z');
    expect(add('2028-02-29T00:00:00.000Z', 'P1Y')).toBe('2029-02-28T00:00:00.000Z');
  });

  it('adds fractional seconds', () => {
    expect(add('2026-01-05T09:00:00.000Z', 'PT0.25S')).toBe('2026-01-05T09:00:00.250Z');
  });
});

describe('approximateSeconds', () => {
  it('counts a month as 30 days and a year as 365', () => {
    const d = { years: 1, months: 1, weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1 };
    expect(approximateSeconds(d)).toBe((365 + 30 + 7 + 1) * 86_400 + 3_600 + 60 + 1);
  });
});
