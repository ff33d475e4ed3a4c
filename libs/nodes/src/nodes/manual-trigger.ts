import { z } from 'zod';
import { defineNode } from '../define';

export const manualTrigger = defineNode({
  type: 'manual.trigger',
  kind: 'trigger',
  label: 'Manual start',
  description: 'Starts a run when someone presses Run in the editor or calls the test-run API, with the sample payload as `trigger`.',
  config: z
    .object({
      sample: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Payload used as `trigger` when the run is started without one'),
    })
    .strict(),
  ports: ['out'] as const,
  trigger: { test: 'payload', sample: (config) => config.sample ?? {} },
  pure: true,
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
