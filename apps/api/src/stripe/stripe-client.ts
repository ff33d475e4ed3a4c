import Stripe from 'stripe';
import type { CredentialsService } from '../credentials/credentials.service';

export interface StripeApiKey {
  secretKey: string;
  apiBase?: string;
}

/** Thrown when a credential is missing or of another type: the caller can only fix it in the flow. */
export class StripeCredentialError extends Error {}

/**
 * The official SDK on a `stripe.apiKey` credential. `apiBase` points it at a proxy or a local
 * fake; the SDK retries network errors and 5xx itself, re-sending the same Idempotency-Key.
 */
export function stripeClient(key: StripeApiKey): Stripe {
  const base = key.apiBase ? new URL(key.apiBase) : null;
  return new Stripe(key.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base
      ? {
          host: base.hostname,
          port: base.port ? Number(base.port) : base.protocol === 'http:' ? 80 : 443,
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
}

export async function stripeFor(credentials: CredentialsService, credentialId: string): Promise<Stripe> {
  const key = await credentials.reveal<StripeApiKey>(credentialId, 'stripe.apiKey');
  if (!key) throw new StripeCredentialError(`Credential ${credentialId} is not a Stripe API key (type stripe.apiKey) or no longer exists`);
  return stripeClient(key);
}
