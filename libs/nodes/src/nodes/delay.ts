import { z } from 'zod';
import { defineNode } from '../define';
import { deadline, durationField } from './common';

export const delay = defineNode({
  type: 'delay',
  kind: 'logic',
  label: 'Delay',
  description: 'Waits for a duration (e.g. P30D), then continues. The wait survives restarts and deploys.',
  config: z
    .object({
      duration: durationField('P1D', 'How long to wait, as an ISO-8601 duration: P30D = 30 days, PT12H = 12 hours, PT5S = 5 seconds'),
    })
    .strict(),
  ports: ['out'] as const,
  outputSample: (config) => ({ waited: config.duration, resumedAt: '2026-12-02T09:00:00.000Z' }),
  run: async (ctx, config) => {
    if (!ctx.resume) {
      const until = deadline(ctx.now(), config.duration);
      return { wait: { until, output: { until } } };
    }
    if (ctx.resume.reason !== 'timer') {
      throw new Error(`A delay only resumes on its timer, not on ${ctx.resume.reason === 'event' ? 'an event' : 'a review decision'}`);
    }
    return { port: 'out', output: { waited: config.duration, resumedAt: ctx.now().toISOString() } };
  },
});
