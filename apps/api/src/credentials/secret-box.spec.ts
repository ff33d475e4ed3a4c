import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(SecretBox.generateKey());

  it('round-trips a secret and never stores it in clear', () => {
    const sealed = box.seal('whsec_topsecret', 'cred-1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('topsecret');
    expect(box.open(sealed, 'cred-1')).toBe('whsec_topsecret');
  });

  it('refuses to open a ciphertext moved to another credential id', () => {
    const sealed = box.seal('whsec_topsecret', 'cred-1');
    expect(() => box.open(sealed, 'cred-2')).toThrow();
  });

  it('refuses to open with another key', () => {
    const sealed = box.seal('x', 'a');
    expect(() => new SecretBox(SecretBox.generateKey()).open(sealed, 'a')).toThrow();
  });

  it('uses a fresh IV per secret', () => {
    expect(box.seal('same', 'a').iv.equals(box.seal('same', 'a').iv)).toBe(false);
  });

  it('rejects a key that is too short to be a key', () => {
    expect(() => new SecretBox('short')).toThrow(/too short/);
  });
});
