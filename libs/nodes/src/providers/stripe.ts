import { z } from 'zod';
import { defineProvider } from './provider';

/** Stripe: the trigger's webhook signature, and the actions (customer, invoice, refund) made during the step. */
export const stripeProvider = defineProvider({
  id: 'stripe',
  label: 'Stripe',
  can: ['payments', 'webhooks'],
  credentials: [
    {
      type: 'stripe.signingSecret',
      label: 'Stripe webhook signing secret',
      hint: 'whsec_… from Stripe → Developers → Webhooks → your endpoint',
      secret: z.string().regex(/^whsec_\S+$/, 'a Stripe signing secret starts with whsec_'),
    },
    {
      type: 'stripe.apiKey',
      label: 'Stripe API key',
      hint: 'sk_test_… or a restricted rk_… key from Stripe → Developers → API keys',
      secret: z
        .object({
          secretKey: z.string().regex(/^(sk|rk)_(test|live)_\S+$/, 'a Stripe secret or restricted key starts with sk_test_, sk_live_, rk_test_ or rk_live_'),
          apiBase: z.url({ protocol: /^https?$/ }).optional().describe('Another address for the Stripe API (a proxy, or a local fake in tests); default https://api.stripe.com'),
        })
        .strict(),
    },
  ],
  outbox: false,
});
