import type { Role } from '../../../api/types';

/** Roles from least to most: what each may do includes the ones before it. */
export const ROLES: Role[] = ['viewer', 'reviewer', 'editor', 'admin'];

/** The roles a token may be given: at most its owner's own. */
export function rolesUpTo(role: Role | undefined): Role[] {
  const i = role ? ROLES.indexOf(role) : -1;
  return i < 0 ? [] : ROLES.slice(0, i + 1);
}

export type TokenState = 'active' | 'revoked' | 'expired';

/** Whether a token still works, by its revocation and expiry. */
export function tokenState(t: { revokedAt: string | null; expiresAt: string | null }, now: Date = new Date()): TokenState {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** Tokens that still work first, then newest first. */
export function sortTokens<T extends { revokedAt: string | null; expiresAt: string | null; createdAt: string }>(tokens: T[], now: Date = new Date()): T[] {
  return [...tokens].sort((a, b) => {
    const aa = tokenState(a, now) === 'active' ? 0 : 1;
    const bb = tokenState(b, now) === 'active' ? 0 : 1;
    return aa - bb || new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();
  });
}
