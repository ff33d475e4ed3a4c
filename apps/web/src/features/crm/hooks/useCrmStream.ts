import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CrmStreamMessage } from '../../../api/types';
import { invalidationsFor, mergeKeys, type QueryKey } from '../lib/crmStream';

/**
 * Listens to `/api/crm/stream` (SSE) for the whole signed-in app (the nav's task count is
 * live too): a change by anyone, or by any flow, marks the matching queries stale and
 * refetches the ones on screen. Bursts (a run writing a deal, its task and its stage at once)
 * are coalesced into one refetch per query.
 */
export function useCrmStream() {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/crm/stream', { withCredentials: true });
    let pending: QueryKey[][] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const keys = mergeKeys(pending);
      pending = [];
      for (const queryKey of keys) void qc.invalidateQueries({ queryKey });
    };
    source.onmessage = (e) => {
      let msg: CrmStreamMessage;
      try {
        msg = JSON.parse(e.data as string) as CrmStreamMessage;
      } catch {
        return;
      }
      if (!msg || typeof msg.kind !== 'string') return;
      pending.push(invalidationsFor(msg));
      clearTimeout(timer);
      timer = setTimeout(flush, 150);
    };
    // Whatever changed before the stream was listening (at start, or while the browser
    // reconnected after a dropped connection) is fetched once.
    source.onopen = () => void qc.invalidateQueries({ queryKey: ['crm'] });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [qc]);
}
