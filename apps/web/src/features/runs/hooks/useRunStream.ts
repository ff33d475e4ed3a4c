import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { withQuery } from '../../../api/client';
import type { Run, RunStreamMessage } from '../../../api/types';
import { refreshQueries } from '../../../lib/refreshQueries';
import { trailingThrottle, useServerEvents } from '../../../lib/useServerEvents';
import { applyStreamMessage } from '../lib/runState';

/**
 * Folds stream messages into one cached run: at once (the canvas reacts), then a throttled
 * refetch brings what messages do not carry (error, output, timings).
 */
function useRunFolder(runId: string | null | undefined) {
  const qc = useQueryClient();
  const refetch = useMemo(() => trailingThrottle(() => void (runId && refreshQueries(qc, [['runs', runId]], { exact: true })), 250), [qc, runId]);
  useEffect(() => () => refetch.cancel(), [refetch]);
  return {
    fold: (msg: RunStreamMessage) => {
      if (!runId || msg.runId !== runId) return;
      qc.setQueryData<Run>(['runs', runId], (run) => (run ? applyStreamMessage(run, msg) : run));
      refetch.call();
    },
    refetch: () => refetch.call(),
  };
}

/**
 * Listens to `/api/runs/stream?runId=` (SSE) for as long as the run is on screen, finished or
 * not: a finished run can be retried, and the messages that finish it are followed by the
 * refetch that brings the final error, attempt, output and duration.
 */
export function useRunStream(runId: string | null) {
  const run = useRunFolder(runId);
  useServerEvents<RunStreamMessage>(
    runId ? `/api/runs/stream?runId=${encodeURIComponent(runId)}` : null,
    (msg) => run.fold({ ...msg, runId: msg.runId ?? runId ?? '' }),
    // What happened between the first fetch (or a dropped connection) and listening.
    run.refetch,
  );
}

/**
 * Listens to a flow's runs (or every run, without a flow) and keeps run lists fresh: a new
 * run or a run that changed status refetches the lists, at most once a second (a busy
 * system changes many runs a second; a list a second late is still live to a person). `watching` is a run of that flow kept
 * live from the same stream (the editor opens one stream, not two: browsers allow few
 * connections per host over HTTP/1.1); `onStarted` hears of each new run.
 */
export function useRunListStream(flowId: string | null | undefined, opts: { watching?: string | null; onStarted?: (runId: string) => void } = {}) {
  const qc = useQueryClient();
  const refetch = useMemo(() => trailingThrottle(() => void refreshQueries(qc, [['runs', 'list']]), 1000), [qc]);
  useEffect(() => () => refetch.cancel(), [refetch]);
  const watched = useRunFolder(opts.watching);
  useServerEvents<RunStreamMessage>(
    // A list needs run-level messages only; a caller that may watch a run (the editor) takes steps too.
    flowId === null ? null : withQuery('/api/runs/stream', { flowId: flowId || undefined, level: opts.watching === undefined ? 'run' : undefined }),
    (msg) => {
      watched.fold(msg);
      if (!msg.runStatus) return;
      // A run starts with the one message that says it is queued (a retry says running).
      if (msg.runStatus === 'queued' && msg.runId) opts.onStarted?.(msg.runId);
      refetch.call();
    },
    () => {
      watched.refetch();
      refetch.call();
    },
  );
}
