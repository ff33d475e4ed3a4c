import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FlowDocument } from '@handoff/nodes';
import { api } from '../../../api/client';
import type { Flow, FlowVersion, Page } from '../../../api/types';
import { flowKey, flowsKey } from './useFlows';

const path = (id: string) => `/api/flows/${encodeURIComponent(id)}`;
export const versionsKey = (id: string) => ['flows', id, 'versions'] as const;

export function useFlow(id: string | undefined) {
  return useQuery({
    queryKey: flowKey(id ?? ''),
    queryFn: ({ signal }) => api.get<Flow>(path(id!), signal),
    enabled: !!id,
    // The editor owns the draft once loaded; don't refetch underneath it.
    staleTime: Infinity,
  });
}

export function useSaveFlow(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (doc: FlowDocument) => api.put<Flow>(path(id), doc),
    onSuccess: (flow) => {
      qc.setQueryData(flowKey(id), flow);
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}

export function usePublishFlow(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (note: string) => api.post<{ version: number }>(`${path(id)}/publish`, note ? { note } : {}),
    onSuccess: ({ version }) => {
      qc.setQueryData<Flow>(flowKey(id), (f) => (f ? { ...f, publishedVersion: version, draftDiffers: false, status: f.status === 'draft' ? 'active' : f.status } : f));
      void qc.invalidateQueries({ queryKey: versionsKey(id) });
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}

export function useFlowStatusToggle(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: 'pause' | 'resume') => api.post<Flow>(`${path(id)}/${action}`),
    onSuccess: (flow) => {
      qc.setQueryData<Flow>(flowKey(id), (f) => (f ? { ...f, status: flow.status, updatedAt: flow.updatedAt } : flow));
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}

export function useFlowVersions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: versionsKey(id),
    queryFn: ({ signal }) => api.get<Page<FlowVersion>>(`${path(id)}/versions`, signal),
    enabled,
  });
}

export function useFlowVersion(id: string, version: number | null) {
  return useQuery({
    queryKey: [...versionsKey(id), version],
    queryFn: ({ signal }) => api.get<{ version: number; document: FlowDocument }>(`${path(id)}/versions/${version}`, signal),
    enabled: version !== null,
    // Published versions never change.
    staleTime: Infinity,
  });
}

/**
 * Replaces the saved draft with a published version ('live' discards the draft's changes);
 * publishing stays a separate step. Resolves to the flow as the server now holds it.
 */
export function useReplaceDraft(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (from: number | 'live') => api.post<Flow>(from === 'live' ? `${path(id)}/discard-draft` : `${path(id)}/versions/${from}/restore`),
    onSuccess: (flow) => {
      qc.setQueryData(flowKey(id), flow);
      void qc.invalidateQueries({ queryKey: flowsKey, exact: true });
    },
  });
}

/** Downloads the exported document (secrets appear as credential references only). */
export async function downloadFlowExport(id: string, fallbackName: string): Promise<void> {
  const doc = await api.get<FlowDocument>(`${path(id)}/export`);
  const name = (doc?.name || fallbackName || 'flow').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'flow';
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.handoff.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
