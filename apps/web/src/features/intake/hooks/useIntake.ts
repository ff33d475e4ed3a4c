import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { IntakeForm } from '../../../api/types';

const path = (token: string) => `/intake-api/${encodeURIComponent(token)}`;

export function useIntake(token: string) {
  return useQuery({
    queryKey: ['intake', token],
    queryFn: ({ signal }) => api.get<IntakeForm>(path(token), signal),
    staleTime: Infinity,
  });
}

export function useSubmitIntake(token: string) {
  return useMutation({
    mutationFn: (answers: Record<string, string>) => api.post<unknown>(path(token), { answers }),
  });
}
