import { z } from 'zod';
import { defineNode } from '../define';
import { isTruthy } from '../expression';

export const branch = defineNode({
  type: 'branch',
  kind: 'logic',
  label: 'Branch',
  description: 'Goes to "true" when the condition holds, otherwise to "false". Output: { value } (the condition’s result).',
  config: z
    .object({
      condition: z
        .string()
        .trim()
        .min(1, 'cannot be empty')
        .default("trigger.payment.status = 'cleared'")
        .describe("JSONata condition over trigger, steps, run and flow, e.g. trigger.payment.status = 'cleared' and trigger.payment.amount >= 100000"),
    })
    .strict(),
  ports: ['true', 'false'] as const,
  expressionFields: ['condition'],
  outputSample: () => ({ value: true }),
  pure: true,
  run: async (ctx, config) => {
    const value = await ctx.evaluate(config.condition);
    // Truthiness follows JSONata's $boolean so "an empty list" and "missing" both mean false.
    return { port: isTruthy(value) ? 'true' : 'false', output: { value: value ?? null } };
  },
});
