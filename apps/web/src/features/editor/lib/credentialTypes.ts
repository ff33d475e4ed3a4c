import { z } from 'zod';
import { credentialSecretSchemas, type CredentialType } from '@handoff/nodes';

/** Labels and hints for each credential type; the secret shapes come from libs/nodes, as the API checks them. */
export const CREDENTIAL_TYPES: Array<{ type: string; label: string; secretHint: string; secret: z.ZodType }> = [
  { type: 'stripe.signingSecret', label: 'Stripe webhook signing secret', secretHint: 'whsec_… from Stripe → Developers → Webhooks → your endpoint' },
  { type: 'slack.webhook', label: 'Slack incoming webhook', secretHint: 'https://hooks.slack.com/services/…' },
  { type: 'smtp', label: 'SMTP server', secretHint: '' },
  { type: 'hubspot', label: 'HubSpot private app', secretHint: '' },
  { type: 'salesforce', label: 'Salesforce connection', secretHint: '' },
  { type: 'http.header', label: 'HTTP header (API key)', secretHint: '' },
].map((c) => ({ ...c, secret: credentialSecretSchemas[c.type as CredentialType] }));

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
