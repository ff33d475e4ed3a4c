import type { CrmStreamMessage } from '../api/types';
import { useServerEvents } from '../lib/useServerEvents';
import { useCrmUpdates } from '../features/crm/hooks/useCrmUpdates';
import { useReviewUpdates } from '../features/reviews/hooks/useReviews';

type AppMessage = ({ topic: 'crm' } & CrmStreamMessage) | { topic: 'reviews'; reviewId: string; runId: string; status: string } | { topic?: undefined };

/**
 * The one stream the whole signed-in app listens to (`/api/stream`): CRM changes and reviews.
 * One connection, not one per feature: browsers allow about six per host over HTTP/1.1,
 * shared by all tabs, and each page may open its own run stream besides.
 */
export function useAppStream(enabled: boolean) {
  const crm = useCrmUpdates();
  const reviews = useReviewUpdates();
  useServerEvents<AppMessage>(
    enabled ? '/api/stream' : null,
    (msg) => {
      if (msg.topic === 'crm') crm.onMessage(msg);
      else if (msg.topic === 'reviews') reviews.onMessage();
    },
    () => {
      crm.onOpen();
      reviews.onOpen();
    },
  );
}
