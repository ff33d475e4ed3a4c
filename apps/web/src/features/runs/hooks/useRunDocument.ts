import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../../api/client';
import type { Flow, Run } from '../../../api/types';
import type { FlowDoc } from '../../editor/store/types';

function asDocument(body: unknown): FlowDoc | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  for (const candidate of [b, b.document, b.doc, b.draft]) {
    if (candidate && typeof candidate === 'object' && Array.isArray((candidate as FlowDoc).nodes)) return candidate as FlowDoc;
  }
  return null;
}

/**
 * The document a run ran on: its published version when the API serves
 * `GET /api/flows/:id/versions/:version`, else the current draft (flagged approximate).
 */
export function useRunDocument(run: Run | undefined) {
  return useQuery({
    queryKey: ['runs', run?.id, 'document', run?.flowId, run?.version],
    enabled: !!run,
    staleTime: Infinity,
    queryFn: async ({ signal }) => {
      const pinned = asDocument(run!.document);
      if (pinned) return { doc: pinned, approximate: false, flowName: pinned.name };
      const flowPath = `/api/flows/${encodeURIComponent(run!.flowId)}`;
      if (run!.version && !run!.test) {
        try {
          const doc = asDocument(await api.get<unknown>(`${flowPath}/versions/${run!.version}`, signal));
          if (doc) return { doc, approximate: false, flowName: doc.name };
        } catch (err) {
          if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) throw err;
        }
      }
      const flow = await api.get<Flow>(flowPath, signal);
      return { doc: flow.draft as unknown as FlowDoc, approximate: !!run!.version && !run!.test, flowName: flow.name };
    },
  });
}
