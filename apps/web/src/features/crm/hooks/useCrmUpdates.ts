import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { CrmStreamMessage } from '../../../api/types';
import { refreshQueries } from '../../../lib/refreshQueries';
import { trailingThrottle } from '../../../lib/useServerEvents';
import { crmKeys } from '../lib/keys';
import { invalidationsFor, mergeKeys, type QueryKey } from '../lib/crmStream';

/**
 * What the app-wide stream (`/api/stream`, topic `crm`) does with a CRM change by anyone, or by
 * any flow: refetches the matching queries on screen (the nav's task count too) and marks the
 * others stale. Bursts (a run writing a deal, its task and its stage at once) are coalesced into
 * one refetch per query, at most every 150 ms however long the burst lasts.
 */
export function useCrmUpdates() {
  const qc = useQueryClient();
  const handlers = useMemo(() => {
    let pending: QueryKey[][] = [];
    const flush = trailingThrottle(() => {
      const keys = mergeKeys(pending);
      pending = [];
      void refreshQueries(qc, keys);
    }, 150);
    return {
      onMessage: (msg: CrmStreamMessage) => {
        if (!msg || typeof msg.kind !== 'string') return;
        pending.push(invalidationsFor(msg));
        flush.call();
      },
      // Whatever changed before the stream was listening (at start, or while the browser
      // reconnected after a dropped connection) is fetched once.
      onOpen: () => void refreshQueries(qc, [crmKeys.all]),
      cancel: flush.cancel,
    };
  }, [qc]);
  useEffect(() => handlers.cancel, [handlers]);
  return handlers;
}
