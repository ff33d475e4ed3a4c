import { describe, expect, it } from 'vitest';
import { redact, redactDeep, secretStrings } from './redact';

describe('secret scrubbing', () => {
  it('finds the strings of any secret shape, with and without a bearer scheme', () => {
    expect(secretStrings({ name: 'Authorization', value: 'Bearer sk_live_abcdefgh' })).toEqual(['Bearer sk_live_abcdefgh', 'sk_live_abcdefgh']);
    expect(secretStrings({ host: 'smtp.example.com', user: 'mailer', pass: 'hunter2hunter2', from: 'a@b.c' })).toEqual(['hunter2hunter2']);
    expect(secretStrings('https://hooks.slack.com/services/T/B/secretpath')).toEqual(['https://hooks.slack.com/services/T/B/secretpath']);
    expect(secretStrings({ port: 587, user: 'u' })).toEqual([]);
  });

  it('replaces every occurrence, in text and in nested data', () => {
    const secrets = secretStrings({ accessToken: 'pat-na1-12345678' });
    expect(redact('invalid token pat-na1-12345678 (pat-na1-12345678)', secrets)).toBe('invalid token [redacted] ([redacted])');
    expect(redactDeep({ body: { echo: ['pat-na1-12345678'] }, status: 401 }, secrets)).toEqual({ body: { echo: ['[redacted]'] }, status: 401 });
  });
});
