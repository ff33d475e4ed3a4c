import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { Page, Review } from '../../../api/types';
import { useMe } from '../../auth/hooks/useMe';

export const reviewsKey = (status: string) => ['reviews', status] as const;

export function useReviews(status: 'pending' | 'all') {
  return useQuery({
    queryKey: reviewsKey(status),
    queryFn: ({ signal }) => api.get<Page<Review>>(withQuery('/api/reviews', { status: status === 'pending' ? 'pending' : undefined }), signal),
    refetchInterval: 15_000,
  });
}

/** For the nav badge; only asked once the user is known. */
export function usePendingReviewCount(): number {
  const me = useMe();
  const q = useQuery({
    queryKey: reviewsKey('pending'),
    queryFn: ({ signal }) => api.get<Page<Review>>('/api/reviews?status=pending', signal),
    enabled: !!me.data,
    refetchInterval: 30_000,
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
