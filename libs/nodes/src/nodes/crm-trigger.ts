import { z } from 'zod';
import { defineNode } from '../define';

export const CRM_TRIGGER_EVENTS = ['deal.created', 'deal.updated', 'deal.stage_changed'] as const;

/** Deal fields a `deal.updated` trigger can be narrowed to. */
export const DEAL_FIELDS = ['title', 'stage', 'amount', 'currency', 'product', 'recordType', 'fields', 'contact', 'stripe'] as const;

const sampleDeal = {
  id: '00000000-0000-4000-8000-000000000001',
  title: 'Acme onboarding',
  stage: 'proposal',
  amount: 120000,
  currency: 'usd',
  product: 'Onboarding package',
  recordType: 'profit',
  fields: {},
  contact: { id: '00000000-0000-4000-8000-000000000002', email: 'client@example.com', name: 'Ada Client', stripeCustomerId: null },
  stripe: {},
};

export const crmTrigger = defineNode({
  type: 'crm.trigger',
  kind: 'trigger',
  label: 'CRM deal',
  description:
    'Starts a run when a deal in the built-in CRM is created, updated or moved to another stage, in the same transaction as the change, once per change. A change made by this flow’s own runs never starts it again. Output: { deal, previous, change }.',
  config: z
    .object({
      on: z.enum(CRM_TRIGGER_EVENTS).default('deal.created').describe('deal.created: a new deal; deal.updated: any change to a deal (not its creation); deal.stage_changed: a move to another stage'),
      stage: z.string().trim().min(1).optional().describe('Only deals in (created) or moved to (stage_changed) this stage, e.g. paid_won'),
      fields: z
        .array(z.enum(DEAL_FIELDS))
        .optional()
        .describe('deal.updated only: start only when one of these changed (e.g. amount, product), so a write-back of other fields does not start the flow'),
    })
    .strict(),
  ports: ['out'] as const,
  trigger: {
    test: 'payload',
    sample: (config) => ({
      deal: { ...sampleDeal, stage: config.stage ?? sampleDeal.stage },
      previous: config.on === 'deal.created' ? null : { ...sampleDeal, amount: 100000 },
      change: { kind: config.on === 'deal.stage_changed' ? 'deal.updated' : config.on, changed: config.on === 'deal.created' ? [] : ['amount'], by: { type: 'user', id: 'ops@example.com' } },
    }),
  },
  pure: true,
  run: async (ctx) => ({ port: 'out', output: ctx.scope.trigger }),
});
