/** Calendar parts stay separate because a month or a year is not a fixed number of seconds. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

// `P(?!$)` refuses a bare "P"; `T(?=\d)` refuses a "T" with nothing after it.
const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses an ISO-8601 duration such as `P30D`, `PT5S` or `P1Y2M3DT4H`; null when it is not one. */
export function parseDuration(text: string): Duration | null {
  const m = ISO_DURATION.exec(text.trim().toUpperCase());
  if (!m) return null;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i].replace(',', '.')));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== null;
}

/** Rough length (a month as 30 days, a year as 365) for limits, never for scheduling. */
export function approximateSeconds(d: Duration): number {
  const days = d.years * 365 + d.months * 30 + d.weeks * 7 + d.days;
  return days * 86_400 + d.hours * 3_600 + d.minutes * 60 + d.seconds;
}

/**
 * Adds a duration in UTC. Months clamp to the month's last day (Jan 31 + P1M = Feb 28/29),
 * as Temporal and most schedulers do, instead of spilling into the next month.
 */
export function addDuration(start: Date, d: Duration): Date {
  const t = new Date(start.getTime());
  const months = d.years * 12 + d.months;
  if (months !== 0) {
    const day = t.getUTCDate();
    t.setUTCDate(1);
    t.setUTCMonth(t.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
    t.setUTCDate(Math.min(day, lastDay));
  }
  const seconds = (d.weeks * 7 + d.days) * 86_400 + d.hours * 3_600 + d.minutes * 60 + d.seconds;
  const end = new Date(t.getTime() + Math.round(seconds * 1000));
  if (Number.isNaN(end.getTime())) throw new RangeError('Duration takes the date out of range');
  return end;
}
