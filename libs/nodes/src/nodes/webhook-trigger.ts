import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';

export const webhookTrigger = defineNode({
  type: 'webhook.trigger',
  kind: 'trigger',
  label: 'Webhook',
  description:
    'Starts a run for each signed JSON POST to this flow’s webhook URL (header x-handoff-signature: t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">). A repeat of the same id starts nothing. Output: { body, headers }.',
  config: z
    .object({
      secret: credentialField(['webhook.secret'], 'Shared secret the sender signs each request with'),
      idField: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .default('id')
        .describe('Field of the JSON body (dots for nested, e.g. data.id) whose value identifies a delivery; without it the Idempotency-Key header is used'),
    })
    .strict(),
  ports: ['out'] as const,
  trigger: {
    hook: {
      path: 'webhook',
      help: 'POST JSON here signed with the secret in the x-handoff-signature header (docs/webhooks.md shows curl, Node and Python). A repeated id is answered as a duplicate and starts nothing.',
    },
    test: 'payload',
    sample: () => ({ body: { id: 'order_1001', email: 'client@example.com', amount: 120000 }, headers: { 'content-type': 'application/json' } }),
  },
  pure: true,
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
