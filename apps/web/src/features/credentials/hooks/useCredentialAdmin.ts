import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { CredentialSummary, Flow, FlowSummary, Page } from '../../../api/types';
import { credentialsKey } from '../../editor/hooks/useCredentials';
import { flowKey } from '../../flows/hooks/useFlows';
import { credentialUsage } from '../lib/whereUsed';

/** At most this many flow drafts are read to say where a credential is used. */
export const WHERE_USED_FLOW_LIMIT = 50;

export function useCredentialList() {
  return useQuery({
    queryKey: credentialsKey,
    queryFn: ({ signal }) => api.get<Page<CredentialSummary>>('/api/credentials', signal),
  });
}

export function useDeleteCredential() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/credentials/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: credentialsKey }),
  });
}

/**
 * Where each credential is used, read from the newest flows' drafts (one request per flow, the
 * first page of flows only). `complete` is false while loading or when there are more flows.
 */
export function useCredentialUsage() {
  const flows = useQuery({
    queryKey: ['flows', 'where-used'],
    queryFn: ({ signal }) => api.get<Page<FlowSummary>>('/api/flows', signal),
  });
  const list = (flows.data?.items ?? []).slice(0, WHERE_USED_FLOW_LIMIT);
  const details = useQueries({
    queries: list.map((f) => ({
      queryKey: [...flowKey(f.id), 'where-used'],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Flow>(`/api/flows/${f.id}`, signal),
      staleTime: 30_000,
    })),
  });
  const loaded = details.filter((d) => d.data).map((d) => d.data!);
  const usage = credentialUsage(loaded);
  const complete = flows.isSuccess && details.every((d) => d.isSuccess) && !flows.data?.nextCursor && (flows.data?.items.length ?? 0) <= WHERE_USED_FLOW_LIMIT;
  return { usage, loading: flows.isPending || details.some((d) => d.isPending), complete, failed: flows.isError || details.some((d) => d.isError) };
}
