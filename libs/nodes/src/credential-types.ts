import { z } from 'zod';

/**
 * What each credential type's secret must look like: the API checks writes with it and the
 * editor draws the "add credential" form from it. Secrets are never echoed back.
 */
export const credentialSecretSchemas = {
  'stripe.signingSecret': z.string().regex(/^whsec_\S+$/, 'a Stripe signing secret starts with whsec_'),
  'slack.webhook': z.url({ protocol: /^https?$/ }),
  smtp: z.object({
    host: z.string().min(1).describe('e.g. smtp.postmarkapp.com'),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the start (usually port 465)'),
    user: z.string().optional(),
    pass: z.string().optional(),
    from: z.string().min(3).describe('Sender, e.g. Handoff <ops@example.com>'),
    /** Never upgrade to TLS with STARTTLS (a local relay or test server without a certificate). */
    ignoreTLS: z.boolean().optional().describe('Never upgrade to TLS (a local relay without a certificate)'),
  }),
  hubspot: z.object({ accessToken: z.string().min(1).describe('pat-…'), baseUrl: z.url().optional() }),
  salesforce: z.object({ instanceUrl: z.url(), accessToken: z.string().min(1), apiVersion: z.string().default('60.0') }),
  'stripe.apiKey': z
    .object({
      secretKey: z.string().regex(/^(sk|rk)_(test|live)_\S+$/, 'a Stripe secret or restricted key starts with sk_test_, sk_live_, rk_test_ or rk_live_'),
      apiBase: z.url({ protocol: /^https?$/ }).optional().describe('Another address for the Stripe API (a proxy, or a local fake in tests); default https://api.stripe.com'),
    })
    .strict(),
  'webhook.secret': z.string().min(16, 'use at least 16 characters (e.g. openssl rand -hex 32)').describe('Shared secret senders sign webhook requests with'),
  'http.header': z.object({ name: z.string().min(1).describe('e.g. Authorization'), value: z.string().min(1) }),
} as const;

export type CredentialType = keyof typeof credentialSecretSchemas;
export const credentialTypes = Object.keys(credentialSecretSchemas) as CredentialType[];
