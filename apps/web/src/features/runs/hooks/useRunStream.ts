import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Run, RunStreamMessage } from '../../../api/types';
import { applyStreamMessage } from '../lib/runState';

/**
 * Listens to `/api/runs/stream?runId=` (SSE). Each message is folded into the cached run
 * at once, then the run is refetched (coalesced) for the step's input, output and timing.
 */
export function useRunStream(runId: string | null) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!runId || typeof EventSource === 'undefined') return;
    const key = ['runs', runId];
    const source = new EventSource(`/api/runs/stream?runId=${encodeURIComponent(runId)}`, { withCredentials: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.onmessage = (e) => {
      let msg: RunStreamMessage;
      try {
        msg = JSON.parse(e.data as string) as RunStreamMessage;
      } catch {
        return;
      }
      if (msg.runId && msg.runId !== runId) return;
      qc.setQueryData<Run>(key, (run) => (run ? applyStreamMessage(run, { ...msg, runId }) : run));
      clearTimeout(timer);
      timer = setTimeout(() => void qc.invalidateQueries({ queryKey: key, exact: true }), 250);
    };
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [runId, qc]);
}
