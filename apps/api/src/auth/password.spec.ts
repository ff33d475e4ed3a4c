import { describe, expect, it } from 'vitest';
import { hashPassword, newSecretToken, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct hors', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords give different hashes', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses a stored value that is not a scrypt hash', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
  });

  it('makes prefixed tokens with 256 bits of randomness', () => {
    const t = newSecretToken('hnd');
    expect(t).toMatch(/^hnd_[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken('hnd')).not.toBe(t);
  });
});
