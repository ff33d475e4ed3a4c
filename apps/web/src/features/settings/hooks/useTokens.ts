import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { ApiToken, NewApiToken, Page, Role } from '../../../api/types';

export const tokensKey = ['tokens'] as const;

/** Your tokens, or everyone's (`all`, admins). */
export function useTokens(all: boolean) {
  return useQuery({
    queryKey: [...tokensKey, { all }],
    queryFn: ({ signal }) => api.get<Page<ApiToken>>(withQuery('/api/tokens', { all: all ? 'true' : undefined }), signal),
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { name: string; role?: Role; expiresInDays?: number }) => api.post<NewApiToken>('/api/tokens', v),
    onSettled: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/tokens/${id}`),
    onSettled: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}
