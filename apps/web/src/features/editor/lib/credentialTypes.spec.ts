import { describe, expect, it } from 'vitest';
import { credentialTypes } from '@handoff/nodes';
import { CREDENTIAL_TYPES, credentialTypeInfo, wantedCredentialType } from './credentialTypes';

describe('wantedCredentialType', () => {
  it('uses the only accepted type', () => {
    expect(wantedCredentialType(['stripe.signingSecret'], {})).toBe('stripe.signingSecret');
  });

  it('picks among accepted types by a sibling that names the channel or connection', () => {
    expect(wantedCredentialType(['slack.webhook', 'smtp'], { channel: 'slack' })).toBe('slack.webhook');
    expect(wantedCredentialType(['slack.webhook', 'smtp'], { channel: 'email', to: 'x' })).toBe('smtp');
    expect(wantedCredentialType(['hubspot', 'salesforce'], { connection: 'salesforce' })).toBe('salesforce');
    expect(wantedCredentialType(['hubspot', 'salesforce'], { connection: 'builtin' })).toBeUndefined();
  });

  it('guesses without metadata', () => {
    expect(wantedCredentialType(undefined, { channel: 'slack' })).toBe('slack.webhook');
    expect(wantedCredentialType(undefined, { url: 'https://x' })).toBeUndefined();
  });
});

describe('credentialTypeInfo', () => {
  it('offers every credential type libs/nodes declares, with the secret shape the API checks', () => {
    expect(CREDENTIAL_TYPES.map((c) => c.type).sort()).toEqual([...credentialTypes].sort());
    const apiKey = credentialTypeInfo('stripe.apiKey');
    expect(apiKey.label).toBe('Stripe API key');
    expect(apiKey.secret.safeParse({ secretKey: 'sk_test_e2e', apiBase: 'http://127.0.0.1:4010' }).success).toBe(true);
    expect(apiKey.secret.safeParse('sk_test_e2e').success).toBe(false);
  });
});
