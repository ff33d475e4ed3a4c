import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Page, TriggerEvent } from '../../../api/types';

/** Events the flow's trigger received, newest first (`GET /api/events?flowId=`). */
export function useDeliveries(flowId: string) {
  return useInfiniteQuery({
    queryKey: ['events', flowId],
    queryFn: ({ pageParam, signal }) => api.get<Page<TriggerEvent>>(withQuery('/api/events', { flowId, cursor: pageParam, limit: 20 }), signal),
    initialPageParam: undefined as string | number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
}
