import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Deal, DealDetail, NewDeal, Page } from '../../../api/types';
import { crmKeys } from '../../crm/lib/keys';
import { dealQueries, mergeDeals, type BoardFilters } from '../lib/teamViews';

/** The deals of a board view: one request per query the view needs, merged. The live stream keeps them fresh. */
export function useBoardDeals(filters: BoardFilters) {
  return useQueries({
    queries: dealQueries(filters).map((params) => ({
      queryKey: crmKeys.dealList(params),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Page<Deal>>(withQuery('/api/crm/deals', params), signal),
      refetchInterval: 60_000,
      placeholderData: (prev: Page<Deal> | undefined) => prev,
    })),
    combine: (results) => ({
      deals: mergeDeals(results.map((r) => r.data?.items ?? [])),
      isPending: results.some((r) => r.isPending),
      isSuccess: results.every((r) => r.isSuccess),
      error: results.find((r) => r.isError)?.error ?? null,
      /** More deals match than one page holds: the board says so instead of pretending it shows all. */
      truncated: results.some((r) => !!r.data?.nextCursor),
      refetch: () => results.forEach((r) => void r.refetch()),
    }),
  });
}

export function useCreateDeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewDeal) => api.post<DealDetail>('/api/crm/deals', body),
    onSuccess: (deal) => {
      qc.setQueryData(crmKeys.deal(deal.id), deal);
      void qc.invalidateQueries({ queryKey: crmKeys.deals });
    },
  });
}
