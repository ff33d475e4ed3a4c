import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
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

export type BulkRetryResult = { id: string; ok: true; statusCode: number; status: string; version: number | null } | { id: string; ok: false; statusCode: number; message: string };

/** `POST /api/runs/retry`: each run retried on its own; the answer says, per run, whether and why not. */
export function useBulkRetry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, latest }: { ids: string[]; latest: boolean }) => api.post<{ results: BulkRetryResult[] }>('/api/runs/retry', { ids, ...(latest ? { version: 'latest' } : {}) }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['runs'] }),
  });
}
