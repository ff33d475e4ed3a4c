import { z } from 'zod';
import { credentialField } from '../flow-document';
import { optionalText, text } from './values';

/** The `stripe.apiKey` credential every Stripe action uses. */
export const stripeCredential = () => credentialField(['stripe.apiKey'], 'Stripe API key (a restricted key with the scopes in docs/stripe.md works)');

/** Whose customer: found by id, else by e-mail, else created. Defaults read a CRM deal trigger. */
export const stripeCustomerFields = {
  email: z.string().default('{{ trigger.deal.contact.email }}').describe('Customer e-mail: how the customer is found when there is no id'),
  name: z.string().default('{{ trigger.deal.contact.name }}').describe('Customer name, for a new customer'),
  customerId: z.string().default('{{ trigger.deal.contact.stripeCustomerId }}').describe('Stripe customer id (cus_…), when known'),
};

export function customerOf(c: { email: unknown; name: unknown; customerId: unknown }) {
  return { email: optionalText(c.email), name: optionalText(c.name), customerId: optionalText(c.customerId) };
}

export function metadataOf(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)]).filter(([, v]) => v !== ''));
}

export function requireKey(key: string | undefined): string {
  if (!key) throw new Error('A Stripe action needs its idempotency key');
  return key;
}
