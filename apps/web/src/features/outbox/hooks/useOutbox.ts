import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { OutboxMessage, Page } from '../../../api/types';

export interface OutboxFilters {
  status?: string;
  runId?: string;
}

export const outboxKey = ['outbox'] as const;

export function useOutbox(filters: OutboxFilters) {
  return useInfiniteQuery({
    queryKey: [...outboxKey, 'list', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<OutboxMessage>>(withQuery('/api/outbox', { ...filters, cursor: pageParam }), signal),
    initialPageParam: undefined as string | number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
}

/** Sends a dead or held message back to delivery (editor role). */
export function useRetryOutbox() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<OutboxMessage>(`/api/outbox/${id}/retry`),
    onSettled: () => qc.invalidateQueries({ queryKey: outboxKey }),
  });
}
