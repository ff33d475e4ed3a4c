import { z } from 'zod';

/**
 * What each credential type's secret looks like. Mirrors apps/api credentials/credential-types.ts
 * (the API is the judge; this only draws the form). Both should come from libs/nodes one day.
 */
export const CREDENTIAL_TYPES: Array<{ type: string; label: string; secretHint: string; secret: z.ZodType }> = [
  {
    type: 'stripe.signingSecret',
    label: 'Stripe webhook signing secret',
    secretHint: 'whsec_… from Stripe → Developers → Webhooks → your endpoint',
    secret: z.string().regex(/^whsec_\S+$/, 'a Stripe signing secret starts with whsec_'),
  },
  { type: 'slack.webhook', label: 'Slack incoming webhook', secretHint: 'https://hooks.slack.com/services/…', secret: z.url() },
  {
    type: 'smtp',
    label: 'SMTP server',
    secretHint: '',
    secret: z.object({
      host: z.string().min(1).describe('e.g. smtp.postmarkapp.com'),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false).describe('TLS from the start (usually port 465)'),
      user: z.string().optional(),
      pass: z.string().optional(),
      from: z.string().min(3).describe('Sender, e.g. Handoff <ops@example.com>'),
    }),
  },
  {
    type: 'hubspot',
    label: 'HubSpot private app',
    secretHint: '',
    secret: z.object({ accessToken: z.string().min(1).describe('pat-…'), baseUrl: z.url().optional() }),
  },
  {
    type: 'salesforce',
    label: 'Salesforce connection',
    secretHint: '',
    secret: z.object({ instanceUrl: z.url(), accessToken: z.string().min(1), apiVersion: z.string().default('60.0') }),
  },
  {
    type: 'http.header',
    label: 'HTTP header (API key)',
    secretHint: '',
    secret: z.object({ name: z.string().min(1).describe('e.g. Authorization'), value: z.string().min(1) }),
  },
];

const ALIASES: Record<string, string> = { email: 'smtp', mail: 'smtp', slack: 'slack.webhook', stripe: 'stripe.signingSecret' };

/**
 * Which credential type to offer: the only accepted one, else the one a sibling value names
 * (`channel: 'email'` → smtp, `connection: 'hubspot'` → hubspot), else undecided.
 */
export function wantedCredentialType(accepted: readonly string[] | undefined, parent: Record<string, unknown>): string | undefined {
  if (accepted?.length === 1) return accepted[0];
  for (const v of Object.values(parent)) {
    if (typeof v !== 'string') continue;
    const t = ALIASES[v] ?? CREDENTIAL_TYPES.find((c) => c.type === v || c.type.startsWith(`${v}.`))?.type ?? (accepted?.includes(v) ? v : undefined);
    if (t && (!accepted || accepted.includes(t))) return t;
  }
  return undefined;
}

/** Label, hint and secret shape for a type, also for types this list doesn't know (a plain string secret). */
export function credentialTypeInfo(type: string) {
  return CREDENTIAL_TYPES.find((c) => c.type === type) ?? { type, label: type, secretHint: '', secret: z.string().min(1) };
}
