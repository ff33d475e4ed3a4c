import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../../api/client';
import type { RunData } from '../lib/dataScope';
import { editorStore } from '../store/useEditorStore';

const ENDED = ['succeeded', 'failed', 'cancelled', 'waiting'];

/**
 * Keeps the editor store's run data (the field picker's samples) in step with the flow's newest
 * run; a watched run that ends or parks brings fresh data.
 */
export function useRunData(flowId: string, watchedRunStatus: string | undefined) {
  const client = useQueryClient();
  const queryKey = ['flow-sample', flowId];
  const sample = useQuery({ queryKey, queryFn: ({ signal }) => api.get<RunData>(`/api/flows/${encodeURIComponent(flowId)}/sample`, signal) });

  useEffect(() => {
    editorStore.getState().setRunData(sample.data ?? null);
  }, [sample.data]);

  useEffect(() => {
    if (watchedRunStatus && ENDED.includes(watchedRunStatus)) void client.invalidateQueries({ queryKey: ['flow-sample', flowId] });
  }, [watchedRunStatus, client, flowId]);
}
