import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { DealDetail, DealPatch } from '../../../api/types';
import { crmKeys } from '../../crm/lib/keys';
import { hasActiveRun } from '../lib/timeline';

/** One deal with its timeline. The CRM stream refreshes it on changes; while one of its runs is going, it is polled too. */
export function useDeal(id: string) {
  return useQuery({
    queryKey: crmKeys.deal(id),
    queryFn: ({ signal }) => api.get<DealDetail>(`/api/crm/deals/${encodeURIComponent(id)}`, signal),
    refetchInterval: (q) => (hasActiveRun(q.state.data?.timeline) ? 2000 : 60_000),
  });
}

export function useUpdateDeal(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: DealPatch) => api.patch<DealDetail>(`/api/crm/deals/${encodeURIComponent(id)}`, patch),
    onSuccess: (deal) => {
      qc.setQueryData(crmKeys.deal(id), deal);
      void qc.invalidateQueries({ queryKey: crmKeys.deals });
    },
  });
}
