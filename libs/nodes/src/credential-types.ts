import type { z } from 'zod';
import { providers, type Provider } from './providers';

type Declared = Provider['credentials'][number];

/** Every credential type the providers declare (libs/nodes/src/providers). */
export type CredentialType = Declared['type'];

/**
 * What each credential type's secret must look like: the API checks writes with it and the
 * editor draws the "add credential" form from it. Secrets are never echoed back.
 */
export const credentialSecretSchemas = Object.fromEntries(providers.flatMap((p) => p.credentials.map((c) => [c.type, c.secret]))) as {
  readonly [D in Declared as D['type']]: D['secret'];
};

export const credentialTypes = providers.flatMap((p) => p.credentials.map((c) => c.type));

/** Label and form hint of each credential type, and the provider it belongs to. */
export interface CredentialTypeInfo {
  type: CredentialType;
  label: string;
  hint: string;
  provider: Provider['id'];
  secret: z.ZodType;
}

export const credentialTypeInfos: readonly CredentialTypeInfo[] = providers.flatMap((p) => p.credentials.map((c) => ({ type: c.type, label: c.label, hint: c.hint, provider: p.id, secret: c.secret })));
