import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { credentialSecretSchemas, credentialTypeInfos, credentialTypes, type CredentialType } from '../credential-types';
import type { OutboxMessage } from '../define';
import { outboxChannels, providerChoice, providerLabel, providers, providersThatCan, type OutboxChannel, type ProviderThatCan } from './index';

describe('providers', () => {
  it('declares each outside system once, with unique ids and credential types', () => {
    const ids = providers.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(credentialTypes).size).toBe(credentialTypes.length);
    expect(ids).toEqual(['builtin', 'hubspot', 'salesforce', 'slack', 'email', 'http', 'stripe', 'webhook']);
  });

  it('says which providers hold deals, contacts, tasks, tickets and messages', () => {
    const ids = (c: Parameters<typeof providersThatCan>[0]) => providersThatCan(c).map((p) => p.id);
    expect(ids('deals')).toEqual(['builtin', 'hubspot', 'salesforce']);
    expect(ids('contacts')).toEqual(['builtin', 'hubspot', 'salesforce']);
    expect(ids('tasks')).toEqual(['builtin', 'hubspot', 'salesforce']);
    expect(ids('tickets')).toEqual(['hubspot']);
    expect(ids('messages')).toEqual(['slack', 'email']);
    expectTypeOf<ProviderThatCan<'deals'>['id']>().toEqualTypeOf<'builtin' | 'hubspot' | 'salesforce'>();
  });

  it('makes the outbox channels of the providers a connector delivers for', () => {
    expect(outboxChannels).toEqual(['hubspot', 'salesforce', 'slack', 'email']);
    expectTypeOf<OutboxChannel>().toEqualTypeOf<'hubspot' | 'salesforce' | 'slack' | 'email'>();
    expectTypeOf<OutboxMessage['channel']>().toEqualTypeOf<OutboxChannel>();
  });

  it('derives the credential types, their secret schemas and labels from the providers', () => {
    expect([...credentialTypes].sort()).toEqual(['http.header', 'hubspot', 'salesforce', 'slack.webhook', 'smtp', 'stripe.apiKey', 'stripe.signingSecret', 'webhook.secret']);
    expectTypeOf<CredentialType>().toEqualTypeOf<'hubspot' | 'http.header' | 'salesforce' | 'slack.webhook' | 'smtp' | 'stripe.apiKey' | 'stripe.signingSecret' | 'webhook.secret'>();
    expect(Object.keys(credentialSecretSchemas).sort()).toEqual([...credentialTypes].sort());
    expect(credentialSecretSchemas['stripe.signingSecret'].safeParse('whsec_abc').success).toBe(true);
    expect(credentialTypeInfos.find((c) => c.type === 'hubspot')).toMatchObject({ label: 'HubSpot private app', provider: 'hubspot' });
    expect(providerLabel('salesforce')).toBe('Salesforce');
  });

  it('fills the Salesforce External ID field names in when a credential leaves them out', () => {
    const secret = credentialSecretSchemas.salesforce.parse({ instanceUrl: 'https://acme.my.salesforce.com', accessToken: '00D!x' });
    expect(secret).toEqual({
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00D!x',
      apiVersion: '60.0',
      contactKeyField: 'Stripe_Customer_Id__c',
      emailKeyField: 'Handoff_Email__c',
      opportunityKeyField: 'Stripe_Object_Id__c',
      taskKeyField: 'Handoff_Key__c',
    });
    expect(credentialSecretSchemas.salesforce.safeParse({ instanceUrl: 'https://x.example', accessToken: 't', taskKeyField: 'bad name' }).success).toBe(false);
  });

  it('gives a node a choice of providers by id, with their labels for the editor, and names the choices when the value is wrong', () => {
    const choice = providerChoice('deals');
    expect(choice.parse('hubspot')).toBe('hubspot');
    expect(choice.safeParse('pipedrive').error?.issues[0]).toMatchObject({ code: 'invalid_value', values: ['builtin', 'hubspot', 'salesforce'] });
    expect(z.toJSONSchema(choice)).toMatchObject({ enum: ['builtin', 'hubspot', 'salesforce'], optionLabels: { builtin: 'Built-in CRM', hubspot: 'HubSpot', salesforce: 'Salesforce' } });
    const withNone = providerChoice('messages', [['none', 'No notice']]);
    expect(withNone.parse('none')).toBe('none');
    expectTypeOf<z.infer<typeof withNone>>().toEqualTypeOf<'slack' | 'email' | 'none'>();
  });
});
