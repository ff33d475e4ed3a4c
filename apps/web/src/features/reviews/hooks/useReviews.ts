import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Page, Review } from '../../../api/types';
import { useEffect, useMemo } from 'react';
import { trailingThrottle, useServerEvents } from '../../../lib/useServerEvents';
import { useMe } from '../../auth/hooks/useMe';

export const reviewsKey = (status: string, includeTest = false) => ['reviews', status, includeTest ? 'with-test' : 'real'] as const;

/** The inbox; reviews held by test runs of drafts only when asked for (`includeTest`). */
export function useReviews(status: 'pending' | 'all', includeTest = false) {
  return useQuery({
    queryKey: reviewsKey(status, includeTest),
    queryFn: ({ signal }) =>
      api.get<Page<Review>>(withQuery('/api/reviews', { status: status === 'pending' ? 'pending' : undefined, includeTest: includeTest ? 'true' : undefined }), signal),
    // Live through useReviewStream; the poll only covers a cut stream.
    refetchInterval: 60_000,
  });
}

/**
 * Listens to `/api/reviews/stream` for the whole signed-in app (the nav badge is live too):
 * a review created, decided, expired or cancelled anywhere refetches the inbox and the badge.
 */
export function useReviewStream(enabled: boolean) {
  const qc = useQueryClient();
  const refetch = useMemo(() => trailingThrottle(() => void qc.invalidateQueries({ queryKey: ['reviews'] }), 200), [qc]);
  useEffect(() => () => refetch.cancel(), [refetch]);
  useServerEvents<{ reviewId?: string }>(enabled ? '/api/reviews/stream' : null, () => refetch.call(), () => refetch.call());
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
