import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Page, RunSummary } from '../../../api/types';

export interface RunFilters {
  flowId?: string;
  status?: string;
  q?: string;
}

export function useRuns(filters: RunFilters) {
  return useInfiniteQuery({
    queryKey: ['runs', 'list', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<RunSummary>>(withQuery('/api/runs', { ...filters, cursor: pageParam }), signal),
    initialPageParam: undefined as string | number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
}
