import type { z } from 'zod';

/** What a flow can do with an outside system; node enums and credential pickers are drawn from it. */
export type Capability = 'deals' | 'contacts' | 'tasks' | 'tickets' | 'messages' | 'requests' | 'payments' | 'webhooks';

export interface CredentialSpec {
  /** The credential type stored with `POST /api/credentials { type }`. */
  type: string;
  label: string;
  /** Shown under the secret field of the "add credential" form. */
  hint: string;
  /** What the secret must look like: the API checks writes with it and the editor draws the form from it. */
  secret: z.ZodType;
}

export interface ProviderSpec {
  id: string;
  label: string;
  can: readonly Capability[];
  credentials: readonly CredentialSpec[];
  /**
   * True when its writes are delivered by its connector through the outbox (the id is then the
   * outbox channel); false when the step does the work itself (built-in CRM, HTTP, Stripe).
   */
  outbox: boolean;
}

/** Declares a provider, keeping its id, capabilities and credential types as literal types. */
export function defineProvider<const P extends ProviderSpec>(provider: P): P {
  return provider;
}
