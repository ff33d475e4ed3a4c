import { describe, expect, it } from 'vitest';
import { wantedCredentialType } from './credentialTypes';

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
