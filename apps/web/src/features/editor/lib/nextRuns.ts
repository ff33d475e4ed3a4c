import { describeIssue, formatPath, type NodeDefinition } from '@handoff/nodes';

export type NextRuns =
  | { ok: true; timezone: string; times: Date[] }
  /** `field`: the config field at fault (its form already shows the reason), when there is one. */
  | { ok: false; reason: string; field?: string };

/**
 * The next `count` fire times of a trigger that declares `trigger.upcoming` (a schedule),
 * from the node's config as it is on the canvas, unsaved edits included. The config goes
 * through the node's schema first, so `upcoming` sees what the scheduler would (defaults
 * filled in) and a schedule the server would refuse shows its reason instead of times.
 * Null for a node type without upcoming runs.
 */
export function nextRunsOf(def: NodeDefinition | undefined, config: unknown, from: Date, count = 5): NextRuns | null {
  const info = def?.trigger;
  if (!def || !info?.upcoming) return null;
  const parsed = def.config.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue.path);
    return path ? { ok: false, reason: `${path} ${describeIssue(issue, config)}`, field: path } : { ok: false, reason: describeIssue(issue, config) };
  }
  const times = info.upcoming(parsed.data, count, from);
  if (!times.length) return { ok: false, reason: 'it never fires from now on' };
  // Without a declared zone, times read best in the viewer's own.
  const timezone = info.timezone?.(parsed.data) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { ok: true, timezone, times };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timezone: string): Record<string, string> {
  let fmt = formatters.get(timezone);
  if (!fmt) {
    // A fixed English, 24-hour form: cron hours are 24-hour, and the zone is spelled out after.
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, fmt);
  }
  return Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]));
}

/**
 * Fire times as the schedule reads them, in its own zone: "Tue 1 Dec, 09:00 Europe/Berlin".
 * Seconds show only when one of the times has them (a six-field cron), the year only when
 * one of them falls in another year than `now`, so each line differs where the times do.
 */
export function formatFireTimes(times: readonly Date[], timezone: string, now: Date): string[] {
  const parts = times.map((t) => partsIn(t, timezone));
  const thisYear = partsIn(now, timezone).year;
  const withYear = parts.some((p) => p.year !== thisYear);
  const withSeconds = parts.some((p) => p.second !== '00');
  return parts.map((p) => {
    const day = `${p.weekday} ${p.day} ${p.month}${withYear ? ` ${p.year}` : ''}`;
    const time = `${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
    return `${day}, ${time} ${timezone}`;
  });
}
