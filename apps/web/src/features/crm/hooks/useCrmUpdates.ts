import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { CrmStreamMessage } from '../../../api/types';
import { invalidationsFor, mergeKeys, type QueryKey } from '../lib/crmStream';

/**
 * What the app-wide stream (`/api/stream`, topic `crm`) does with a CRM change by anyone, or by
 * any flow: marks the matching queries stale and refetches the ones on screen (the nav's task
 * count too). Bursts (a run writing a deal, its task and its stage at once) are coalesced into
 * one refetch per query.
 */
export function useCrmUpdates() {
  const qc = useQueryClient();
  const handlers = useMemo(() => {
    let pending: QueryKey[][] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const keys = mergeKeys(pending);
      pending = [];
      for (const queryKey of keys) void qc.invalidateQueries({ queryKey });
    };
    return {
      onMessage: (msg: CrmStreamMessage) => {
        if (!msg || typeof msg.kind !== 'string') return;
        pending.push(invalidationsFor(msg));
        clearTimeout(timer);
        timer = setTimeout(flush, 150);
      },
      // Whatever changed before the stream was listening (at start, or while the browser
      // reconnected after a dropped connection) is fetched once.
      onOpen: () => void qc.invalidateQueries({ queryKey: ['crm'] }),
      cancel: () => clearTimeout(timer),
    };
  }, [qc]);
  useEffect(() => handlers.cancel, [handlers]);
  return handlers;
}
