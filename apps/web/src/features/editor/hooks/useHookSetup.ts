import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { Flow } from '../../../api/types';
import { flowKey } from '../../flows/hooks/useFlows';
import type { EndpointResult, HookSetup, ReconcileResult } from '../lib/hookSetup';
import type { FlowDoc } from '../store/types';
import { editorStore } from '../store/useEditorStore';
import { credentialsKey } from './useCredentials';
import { useSaveDraft } from './useSaveDraft';

/**
 * "Create the endpoint": the server reads the trigger's API key and events from the saved
 * draft, so the canvas is saved first. A new endpoint's signing secret is written into the
 * saved draft by the server; the editor then takes that draft in without dropping edits made
 * while the call ran (store.adoptSaved).
 */
export function useCreateHookEndpoint(flowId: string, setup: HookSetup | null) {
  const qc = useQueryClient();
  const { save } = useSaveDraft(flowId);
  return useMutation({
    mutationFn: async (url: string) => {
      if (!setup) throw new Error('This trigger has no endpoint to set up');
      const base = await save();
      const result = await api.post<EndpointResult>(setup.endpointPath, { url });
      if (result.created) {
        void qc.invalidateQueries({ queryKey: credentialsKey });
        const flow = await api.get<Flow>(`/api/flows/${encodeURIComponent(flowId)}`);
        qc.setQueryData(flowKey(flowId), flow);
        // The user may have opened another flow while Stripe answered; that one is not ours to change.
        if (editorStore.getState().flowId === flowId) editorStore.getState().adoptSaved(base, flow.draft as FlowDoc);
      }
      return result;
    },
  });
}

/** "Check for missed events": reconciles the published flow; the draft is not involved. */
export function useReconcileHook(setup: HookSetup | null) {
  return useMutation({
    mutationFn: () => {
      if (!setup) throw new Error('This trigger has nothing to check');
      return api.post<ReconcileResult>(setup.reconcilePath);
    },
  });
}
