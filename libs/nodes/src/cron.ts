import { Cron } from 'croner';

/**
 * Cron schedules for `schedule.trigger`, parsed by croner (the scheduler itself is ours:
 * apps/api/src/triggers/schedule.trigger.ts). Five fields (minute hour day month weekday)
 * or six with a leading seconds field; names (MON-FRI, JAN) and steps work; evaluated in an
 * IANA time zone, so 09:00 Europe/Berlin stays 09:00 across daylight-saving changes.
 */

function parse(expression: string, timezone: string): Cron {
  return new Cron(expression.trim(), { timezone, paused: true, legacyMode: true });
}

/** Null when the time zone is an IANA name this runtime knows, else the reason. */
export function checkTimezone(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `"${timezone}" is not an IANA time zone such as UTC, Europe/Berlin or America/New_York`;
  }
}

/** Null when the schedule is valid and fires at least once from now on; else the reason. */
export function checkCron(expression: string, timezone = 'UTC'): string | null {
  const parts = expression.trim() === '' ? [] : expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    return `A cron schedule has 5 fields (minute hour day month weekday), or 6 with seconds first; "${expression}" has ${parts.length}`;
  }
  if (checkTimezone(timezone)) return null; // the time zone field reports its own problem
  try {
    if (!parse(expression, timezone).nextRun()) return 'it never fires (no date matches it)';
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
  }
  return null;
}

/** The next `count` fire times strictly after `from`; empty for an invalid schedule. */
export function nextFireTimes(expression: string, timezone: string, count: number, from: Date = new Date()): Date[] {
  try {
    return parse(expression, timezone).nextRuns(count, from);
  } catch {
    return [];
  }
}

/** The first tick strictly after `after`, or null. */
export function nextTick(expression: string, timezone: string, after: Date): Date | null {
  return nextFireTimes(expression, timezone, 1, after)[0] ?? null;
}

/** The latest tick at or before `at`, or null. */
export function latestTick(expression: string, timezone: string, at: Date): Date | null {
  try {
    return parse(expression, timezone).previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
  } catch {
    return null;
  }
}
