import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { FlowDocument } from '@handoff/nodes';
import { api, withQuery } from '../../../api/client';
import type { Flow, FlowSummary, Page } from '../../../api/types';

export const flowsKey = ['flows'] as const;
export const flowKey = (id: string) => ['flows', id] as const;

export function newFlowDocument(name = 'Untitled flow'): FlowDocument {
  return { schema: 'handoff.flow/1', name, nodes: [], edges: [] };
}

export function useFlows() {
  return useInfiniteQuery({
    queryKey: flowsKey,
    queryFn: ({ pageParam, signal }) => api.get<Page<FlowSummary>>(withQuery('/api/flows', { cursor: pageParam }), signal),
    initialPageParam: undefined as string | number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateFlow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (doc: FlowDocument) => api.post<Flow>('/api/flows', doc),
    onSuccess: (flow) => {
      qc.setQueryData(flowKey(flow.id), flow);
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}

export function useImportFlow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (doc: unknown) => api.post<Flow>('/api/flows/import', doc),
    onSuccess: (flow) => {
      qc.setQueryData(flowKey(flow.id), flow);
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}

export function useDeleteFlow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/flows/${encodeURIComponent(id)}`),
    onSuccess: (_v, id) => {
      qc.removeQueries({ queryKey: flowKey(id) });
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}
