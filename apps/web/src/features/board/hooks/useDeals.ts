import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { CrmStage, Deal, Page } from '../../../api/types';

export function useStages() {
  return useQuery({
    queryKey: ['crm', 'stages'],
    queryFn: ({ signal }) => api.get<Page<CrmStage>>('/api/crm/stages', signal),
    staleTime: 5 * 60_000,
  });
}

export function useDeals(q: string) {
  return useQuery({
    queryKey: ['crm', 'deals', q],
    queryFn: ({ signal }) => api.get<Page<Deal>>(withQuery('/api/crm/deals', { q }), signal),
    refetchInterval: 15_000,
    placeholderData: (prev) => prev,
  });
}
