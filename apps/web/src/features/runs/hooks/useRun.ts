import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { Run } from '../../../api/types';
import { isTerminal } from '../lib/runState';
import { useRunStream } from './useRunStream';

export const runKey = (id: string) => ['runs', id] as const;

/** A run with its steps, kept live by the SSE stream (and, while it is not finished, a slow poll in case the stream is cut). */
export function useRun(id: string | null | undefined, opts: { ownStream?: boolean } = {}) {
  const query = useQuery({
    queryKey: runKey(id ?? ''),
    queryFn: ({ signal }) => api.get<Run>(`/api/runs/${encodeURIComponent(id!)}`, signal),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && isTerminal(q.state.data.status) ? false : 5000),
  });
  // Without its own stream the caller keeps the run live (the editor, from its flow's stream).
  useRunStream(opts.ownStream === false ? null : id || null);
  return query;
}

export function useRunAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    // `retry-latest` retries on the flow's latest published version (the fix published after the failure).
    mutationFn: (action: 'retry' | 'retry-latest' | 'cancel') =>
      api.post<Run | { runId?: string }>(action === 'retry-latest' ? `/api/runs/${encodeURIComponent(id)}/retry?version=latest` : `/api/runs/${encodeURIComponent(id)}/${action}`),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: runKey(id) });
      void qc.invalidateQueries({ queryKey: ['runs', 'list'] });
    },
  });
}
