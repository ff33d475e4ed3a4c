import { describe, expect, it } from 'vitest';
import { intakeClient, intakeProgress, isMaskedLink } from './intakes';

describe('intake helpers', () => {
  it('names the client by name, else e-mail', () => {
    expect(intakeClient({ name: ' Ada ', email: 'ada@example.com' })).toBe('Ada');
    expect(intakeClient({ name: null, email: 'ada@example.com' })).toBe('ada@example.com');
    expect(intakeClient({ name: '', email: null })).toBe('Unknown client');
  });
  it('recognises a masked link and no link', () => {
    expect(isMaskedLink('https://h.example.com/intake/••••••')).toBe(true);
    expect(isMaskedLink('https://h.example.com/intake/abcDEF_123')).toBe(false);
    expect(isMaskedLink(null)).toBe(false);
  });
  it('says where the form stands', () => {
    expect(intakeProgress({ status: 'sent' })).toBe('Not opened yet.');
    expect(intakeProgress({ status: 'submitted' })).toMatch(/sent the form/);
    expect(intakeProgress({ status: 'expired' })).toMatch(/expired/);
  });
});
