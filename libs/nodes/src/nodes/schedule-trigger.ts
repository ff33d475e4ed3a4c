import { z } from 'zod';
import { checkCron } from '../cron';
import { defineNode } from '../define';

export const scheduleTrigger = defineNode({
  type: 'schedule.trigger',
  kind: 'trigger',
  label: 'Schedule',
  description: 'Starts a run on a cron schedule (UTC). Output: { firedAt }.',
  config: z
    .object({
      cron: z
        .string()
        .superRefine((v, ctx) => {
          const problem = checkCron(v);
          if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid schedule: ${problem}` });
        })
        .default('0 9 * * 1-5')
        .describe('Cron schedule in UTC: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5 for weekdays at 09:00'),
    })
    .strict(),
  ports: ['out'] as const,
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
