import { describe, expect, it } from 'vitest';
import { rolesUpTo, sortTokens, tokenState } from './access';

const now = new Date('2026-06-01T12:00:00Z');

describe('rolesUpTo', () => {
  it('offers a token at most its owner’s role', () => {
    expect(rolesUpTo('editor')).toEqual(['viewer', 'reviewer', 'editor']);
    expect(rolesUpTo('admin')).toEqual(['viewer', 'reviewer', 'editor', 'admin']);
    expect(rolesUpTo('viewer')).toEqual(['viewer']);
    expect(rolesUpTo(undefined)).toEqual([]);
  });
});

describe('tokenState', () => {
  it('says revoked before expired, and active otherwise', () => {
    expect(tokenState({ revokedAt: '2026-05-01T00:00:00Z', expiresAt: '2026-01-01T00:00:00Z' }, now)).toBe('revoked');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-06-01T11:59:59Z' }, now)).toBe('expired');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-07-01T00:00:00Z' }, now)).toBe('active');
    expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
  });
});

describe('sortTokens', () => {
  it('puts working tokens first, newest first within each group', () => {
    const t = (id: string, createdAt: string, revokedAt: string | null = null) => ({ id, createdAt, revokedAt, expiresAt: null });
    const sorted = sortTokens([t('old', '2026-01-01T00:00:00Z'), t('gone', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z'), t('new', '2026-04-01T00:00:00Z')], now);
    expect(sorted.map((x) => x.id)).toEqual(['new', 'old', 'gone']);
  });
});
