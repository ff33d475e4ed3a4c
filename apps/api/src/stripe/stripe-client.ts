import Stripe from 'stripe';
import type { CredentialsService } from '../credentials/credentials.service';
import { assertUrlAllowed, outboundAgents } from '../outbound/outbound';

export interface StripeApiKey {
  secretKey: string;
  apiBase?: string;
}

/** Thrown when a credential is missing or of another type: the caller can only fix it in the flow. */
export class StripeCredentialError extends Error {}

/**
 * The official SDK on a `stripe.apiKey` credential. `apiBase` points it at a proxy or a local
 * fake; the SDK retries network errors and 5xx itself, re-sending the same Idempotency-Key.
 * Its connections go through the outbound address policy, so an `apiBase` cannot reach a
 * private or metadata address unless the operator allows it.
 */
export function stripeClient(key: StripeApiKey): Stripe {
  const base = key.apiBase ? assertUrlAllowed(key.apiBase) : null;
  return new Stripe(key.secretKey, {
    httpClient: Stripe.createNodeHttpClient(base?.protocol === 'http:' ? outboundAgents.http : outboundAgents.https),
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

/** The key of a `stripe.apiKey` credential; StripeCredentialError when it is missing or of another type. */
export async function stripeKey(credentials: CredentialsService, credentialId: string): Promise<StripeApiKey> {
  const key = await credentials.reveal<StripeApiKey>(credentialId, 'stripe.apiKey');
  if (!key) throw new StripeCredentialError(`Credential ${credentialId} is not a Stripe API key (type stripe.apiKey) or no longer exists`);
  return key;
}

export async function stripeFor(credentials: CredentialsService, credentialId: string): Promise<Stripe> {
  const key = await credentials.reveal<StripeApiKey>(credentialId, 'stripe.apiKey');
  if (!key) throw new StripeCredentialError(`Credential ${credentialId} is not a Stripe API key (type stripe.apiKey) or no longer exists`);
  return stripeClient(key);
}
