import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../../api/client';
import type { User } from '../../../api/types';

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or `null` when the session is missing or expired. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<User>('/api/auth/me', signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function canEdit(user: User | null | undefined): boolean {
  return user?.role === 'admin' || user?.role === 'editor';
}

export function canDecide(user: User | null | undefined): boolean {
  return !!user && user.role !== 'viewer';
}
