import { z } from 'zod';
import { credentialSecretSchemas, credentialTypes } from '@handoff/nodes';

const LABELS: Record<string, { label: string; secretHint: string }> = {
  'stripe.signingSecret': { label: 'Stripe webhook signing secret', secretHint: 'whsec_… from Stripe → Developers → Webhooks → your endpoint' },
  'stripe.apiKey': { label: 'Stripe API key', secretHint: 'sk_test_… or a restricted rk_… key from Stripe → Developers → API keys' },
  'slack.webhook': { label: 'Slack incoming webhook', secretHint: 'https://hooks.slack.com/services/…' },
  smtp: { label: 'SMTP server', secretHint: '' },
  hubspot: { label: 'HubSpot private app', secretHint: '' },
  salesforce: { label: 'Salesforce connection', secretHint: '' },
  'webhook.secret': { label: 'Webhook shared secret', secretHint: 'at least 16 characters, e.g. from openssl rand -hex 32' },
  'http.header': { label: 'HTTP header (API key)', secretHint: '' },
};

/**
 * Every credential type libs/nodes declares, with a label and hint for the form. The list and the
 * secret shapes come from `credentialSecretSchemas`, as the API checks them, so a new type gets a
 * working form before anyone writes its label here.
 */
export const CREDENTIAL_TYPES: Array<{ type: string; label: string; secretHint: string; secret: z.ZodType }> = credentialTypes.map((type) => ({
  type,
  ...(LABELS[type] ?? { label: type, secretHint: '' }),
  secret: credentialSecretSchemas[type],
}));

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
