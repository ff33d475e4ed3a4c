import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Page, Review } from '../../../api/types';
import { useEffect, useMemo } from 'react';
import { refreshQueries } from '../../../lib/refreshQueries';
import { trailingThrottle } from '../../../lib/useServerEvents';
import { useMe } from '../../auth/hooks/useMe';

export const reviewsKey = (status: string, includeTest = false) => ['reviews', status, includeTest ? 'with-test' : 'real'] as const;

/** The inbox; reviews held by test runs of drafts only when asked for (`includeTest`). */
export function useReviews(status: 'pending' | 'all', includeTest = false) {
  return useQuery({
    queryKey: reviewsKey(status, includeTest),
    queryFn: ({ signal }) =>
      api.get<Page<Review>>(withQuery('/api/reviews', { status: status === 'pending' ? 'pending' : undefined, includeTest: includeTest ? 'true' : undefined }), signal),
    // Live through the app-wide stream (useReviewUpdates); the poll only covers a cut stream.
    refetchInterval: 60_000,
  });
}

/**
 * What the app-wide stream (`/api/stream`, topic `reviews`) does when a review is created,
 * decided, expired or cancelled anywhere: the inbox and the nav badge refetch.
 */
export function useReviewUpdates() {
  const qc = useQueryClient();
  const refetch = useMemo(() => trailingThrottle(() => void refreshQueries(qc, [['reviews']]), 200), [qc]);
  useEffect(() => () => refetch.cancel(), [refetch]);
  return { onMessage: refetch.call, onOpen: refetch.call };
}

/** For the nav badge; only asked once the user is known. */
export function usePendingReviewCount(): number {
  const me = useMe();
  const q = useQuery({
    queryKey: reviewsKey('pending'),
    queryFn: ({ signal }) => api.get<Page<Review>>('/api/reviews?status=pending', signal),
    enabled: !!me.data,
    refetchInterval: 60_000,
  });
  return q.data?.items.length ?? 0;
}

export function useDecideReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'reject'; note: string }) =>
      api.post<Review>(`/api/reviews/${encodeURIComponent(id)}/decision`, { decision, note }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['reviews'] }),
  });
}
