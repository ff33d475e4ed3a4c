interface CronField {
  name: string;
  min: number;
  max: number;
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  // 0 and 7 are both Sunday.
  { name: 'day of week', min: 0, max: 7 },
];

// Exactly the grammar graphile-worker's crontab accepts (numbers, ranges, `*`, `*/n`, lists;
// no names, no stepped ranges), so a schedule that validates here also registers there.
const NUMBER = /^\d+$/;
const RANGE = /^(\d+)-(\d+)$/;
const WILDCARD = /^\*(?:\/(\d+))?$/;

function checkField(text: string, field: CronField): string | null {
  const range = `${field.min}-${field.max}`;
  const inRange = (n: number) => n >= field.min && n <= field.max;
  for (const item of text.split(',')) {
    const wildcard = WILDCARD.exec(item);
    if (wildcard) {
      if (wildcard[1] !== undefined && Number(wildcard[1]) < 1) return `${field.name} step "${item}" must be at least */1`;
      continue;
    }
    if (NUMBER.test(item)) {
      if (!inRange(Number(item))) return `${field.name} "${item}" is out of range ${range}`;
      continue;
    }
    const r = RANGE.exec(item);
    if (!r) return `${field.name} "${item}" is not a cron value (use *, */15, 5, 1-5 or a comma list of them)`;
    const [from, to] = [Number(r[1]), Number(r[2])];
    if (!inRange(from) || !inRange(to)) return `${field.name} "${item}" is out of range ${range}`;
    if (to <= from) return `${field.name} range "${item}" must go from low to high`;
  }
  return null;
}

/** Checks a 5-field cron expression (minute hour day-of-month month day-of-week, UTC); null when fine. */
export function checkCron(expression: string): string | null {
  const parts = expression.trim() === '' ? [] : expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    return `A cron schedule has 5 fields (minute hour day month weekday); "${expression}" has ${parts.length}`;
  }
  for (const [i, field] of FIELDS.entries()) {
    const problem = checkField(parts[i], field);
    if (problem) return problem;
  }
  return null;
}
