import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { Run, RunStreamMessage } from '../../../api/types';
import { trailingThrottle, useServerEvents } from '../../../lib/useServerEvents';
import { applyStreamMessage } from '../lib/runState';

/**
 * Listens to `/api/runs/stream?runId=` (SSE) for as long as the run is on screen, finished or
 * not: a finished run can be retried, and the messages that finish it are followed by the
 * refetch that brings the final error, attempt, output and duration. Each message is folded
 * into the cached run at once (the canvas reacts), then the run is refetched (throttled) for
 * what messages do not carry.
 */
export function useRunStream(runId: string | null) {
  const qc = useQueryClient();
  const refetch = useMemo(() => trailingThrottle(() => void qc.invalidateQueries({ queryKey: ['runs', runId], exact: true }), 250), [qc, runId]);
  useEffect(() => () => refetch.cancel(), [refetch]);
  useServerEvents<RunStreamMessage>(
    runId ? `/api/runs/stream?runId=${encodeURIComponent(runId)}` : null,
    (msg) => {
      if (!runId || (msg.runId && msg.runId !== runId)) return;
      qc.setQueryData<Run>(['runs', runId], (run) => (run ? applyStreamMessage(run, { ...msg, runId }) : run));
      refetch.call();
    },
    // What happened between the first fetch (or a dropped connection) and listening.
    () => refetch.call(),
  );
}

/**
 * Listens to a flow's runs (or every run, without a flow) and keeps run lists fresh: a new
 * run or a run that changed status refetches the lists. `onStarted` hears of each new run.
 */
export function useRunListStream(flowId: string | null | undefined, onStarted?: (runId: string) => void) {
  const qc = useQueryClient();
  const refetch = useMemo(() => trailingThrottle(() => void qc.invalidateQueries({ queryKey: ['runs', 'list'] }), 300), [qc]);
  useEffect(() => () => refetch.cancel(), [refetch]);
  useServerEvents<RunStreamMessage>(
    flowId === null ? null : `/api/runs/stream${flowId ? `?flowId=${encodeURIComponent(flowId)}` : ''}`,
    (msg) => {
      if (!msg.runStatus) return;
      // A run starts with the one message that says it is queued (a retry says running).
      if (msg.runStatus === 'queued' && msg.runId) onStarted?.(msg.runId);
      refetch.call();
    },
    () => refetch.call(),
  );
}
