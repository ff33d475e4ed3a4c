import { z } from 'zod';
import { builtinProvider } from './builtin';
import { emailProvider } from './email';
import { httpProvider } from './http';
import { hubspotProvider } from './hubspot';
import type { Capability } from './provider';
import { salesforceProvider } from './salesforce';
import { slackProvider } from './slack';
import { stripeProvider } from './stripe';
import { webhookProvider } from './webhook';

export type { Capability, CredentialSpec, ProviderSpec } from './provider';
export { HUBSPOT_KEYS, hubspotSecret, type HubSpotSecret } from './hubspot';
export { salesforceSecret, type SalesforceSecret } from './salesforce';

/**
 * Every outside system Handoff talks to, one file each. Node enums (a deal's `connection`, a
 * message's `channel`), outbox channels, credential types and their labels are derived from this
 * list; adding a CRM is a provider file here, its connector in apps/api/src/outbox/connectors
 * and a spec (docs/architecture.md "Adding a CRM provider").
 */
export const providers = [builtinProvider, hubspotProvider, salesforceProvider, slackProvider, emailProvider, httpProvider, stripeProvider, webhookProvider] as const;

export type Provider = (typeof providers)[number];
export type ProviderId = Provider['id'];

type Able<P, C> = P extends { can: readonly (infer K)[] } ? (C extends K ? P : never) : never;
/** The providers that can do `C`, as a type: `ProviderThatCan<'deals'>['id']` is 'builtin' | 'hubspot' | 'salesforce'. */
export type ProviderThatCan<C extends Capability> = Able<Provider, C>;

/** The outbox channels: providers whose writes a connector delivers. */
export type OutboxChannel = Extract<Provider, { outbox: true }>['id'];

export function providersThatCan<C extends Capability>(capability: C): Array<ProviderThatCan<C>> {
  return providers.filter((p): p is ProviderThatCan<C> => (p.can as readonly Capability[]).includes(capability));
}

export const outboxChannels = providers.filter((p): p is Extract<Provider, { outbox: true }> => p.outbox).map((p) => p.id);

export function isOutboxChannel(channel: string): channel is OutboxChannel {
  return (outboxChannels as readonly string[]).includes(channel);
}

/** The credential types a channel's connector can use: anything else is refused before its secret is read. */
export function credentialTypesOfChannel(channel: string): string[] {
  return providers.find((p) => p.id === channel)?.credentials.map((c) => c.type) ?? [];
}

export function providerLabel(id: string): string {
  return providers.find((p) => p.id === id)?.label ?? id;
}

/**
 * A config field choosing among the providers that can do `capability` (plus extra choices such as
 * `none`). Values are the provider ids; the labels ride along as `optionLabels` in the JSON Schema
 * for the editor (its select shows the values today, which e2e tests select by).
 */
export function providerChoice<C extends Capability, const X extends string = never>(capability: C, extra: ReadonlyArray<readonly [X, string]> = []): z.ZodType<ProviderThatCan<C>['id'] | X> {
  const choices: ReadonlyArray<readonly [string, string]> = [...providersThatCan(capability).map((p) => [p.id, p.label] as const), ...extra];
  const [first, ...rest] = choices.map(([id]) => id);
  const choice = z.enum([first, ...rest]).meta({ optionLabels: Object.fromEntries(choices) });
  // The enum holds exactly these ids; TypeScript cannot follow the filter over the provider list.
  return choice as z.ZodType<ProviderThatCan<C>['id'] | X>;
}

/** The credential types of the providers that can do `capability`, for a node's credential picker. */
export function credentialTypesFor(capability: Capability): string[] {
  return providersThatCan(capability).flatMap((p) => p.credentials.map((c) => c.type));
}
