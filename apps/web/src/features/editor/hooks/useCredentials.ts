import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { Credential, Page } from '../../../api/types';

export const credentialsKey = ['credentials'] as const;

export function useCredentials() {
  return useQuery({
    queryKey: credentialsKey,
    queryFn: ({ signal }) => api.get<Page<Credential>>('/api/credentials', signal),
    staleTime: 30_000,
  });
}

/** Secrets are write-only: the API stores them encrypted and answers with the id only. */
export function useCreateCredential() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { type: string; name: string; secret: unknown }) => api.post<{ id: string; type: string; name: string }>('/api/credentials', input),
    onSuccess: (c) => {
      qc.setQueryData<Page<Credential>>(credentialsKey, (page) => (page ? { ...page, items: [...page.items, { id: c.id, type: c.type, name: c.name }] } : page));
      void qc.invalidateQueries({ queryKey: credentialsKey });
    },
  });
}
