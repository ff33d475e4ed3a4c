import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Intake, Page } from '../../../api/types';

export interface IntakeFilters {
  status?: string;
  q?: string;
  flowId?: string;
}

export const intakesKey = ['intakes'] as const;

export function useIntakes(filters: IntakeFilters) {
  return useInfiniteQuery({
    queryKey: [...intakesKey, 'list', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<Intake>>(withQuery('/api/intakes', { ...filters, cursor: pageParam }), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.nextCursor as string | null) ?? undefined,
    refetchInterval: 15_000,
  });
}

/** Sends the intake e-mail again through the outbox (editor role). */
export function useResendIntake() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Intake>(`/api/intakes/${id}/resend`),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: intakesKey });
      void qc.invalidateQueries({ queryKey: ['outbox'] });
    },
  });
}
