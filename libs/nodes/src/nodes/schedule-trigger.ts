import { z } from 'zod';
import { checkCron, checkTimezone, nextFireTimes } from '../cron';
import { defineNode } from '../define';

export const scheduleTrigger = defineNode({
  type: 'schedule.trigger',
  kind: 'trigger',
  label: 'Schedule',
  description:
    'Starts a run on a cron schedule in a time zone, once per tick however many workers run. After downtime or a pause it runs the latest missed tick once. Output: { firedAt, scheduledFor }.',
  config: z
    .object({
      cron: z
        .string()
        .default('0 9 * * 1-5')
        .describe('minute hour day month weekday (e.g. 0 9 * * 1-5: weekdays at 09:00); a sixth field in front counts seconds (*/30 * * * * *)'),
      timezone: z
        .string()
        .default('UTC')
        .refine((tz) => checkTimezone(tz) === null, { message: 'must be an IANA time zone such as UTC, Europe/Berlin or America/New_York' })
        .describe('IANA time zone the schedule is read in, e.g. Europe/Berlin'),
    })
    .strict()
    .superRefine((v, ctx) => {
      const problem = checkCron(v.cron, v.timezone);
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: `is not a valid schedule: ${problem}` });
    }),
  ports: ['out'] as const,
  trigger: {
    upcoming: (config, count, from) => nextFireTimes(config.cron, config.timezone, count, from),
    timezone: (config) => config.timezone,
    test: 'payload',
    sample: () => {
      const now = new Date().toISOString();
      return { firedAt: now, scheduledFor: now };
    },
  },
  // The scheduler builds `trigger` ({ firedAt, scheduledFor }) when the tick fires.
  pure: true,
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
