import { z } from 'zod';

const fieldValue = z.union([z.string().max(5000), z.number(), z.boolean(), z.null()]);

const dealFields = {
  title: z.string().trim().max(200).nullish(),
  contact: z
    .object({
      email: z.email('must be an e-mail address').max(320),
      name: z.string().trim().max(200).nullish(),
      stripeCustomerId: z.string().trim().regex(/^cus_[A-Za-z0-9]+$/, 'must be a Stripe customer id (cus_...)').nullish(),
    })
    .strict(),
  stage: z.string().trim().min(1, 'is required').max(64),
  amount: z.number().int('must be whole minor units (cents): 120000 is $1,200.00').min(0).max(1e12),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO currency code such as usd'),
  product: z.string().trim().max(200).nullish(),
  recordType: z.enum(['profit', 'nonprofit']).nullish(),
  fields: z.record(z.string().min(1).max(100), fieldValue).refine((f) => Object.keys(f).length <= 100, 'at most 100 fields').optional(),
};

/** POST /api/crm/deals (DESIGN.md "Built-in CRM API"). */
export const dealCreateBody = z.object(dealFields).strict();

/** PATCH /api/crm/deals/:id: any of the create fields, plus the Stripe ids flows write back. */
export const dealPatchBody = z
  .object({
    ...dealFields,
    stripe: z
      .object({
        customerId: z.string().max(255).nullish(),
        invoiceId: z.string().max(255).nullish(),
        invoiceUrl: z.url().max(2000).nullish(),
        paymentStatus: z.string().max(64).nullish(),
      })
      .strict(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'has nothing to change');
