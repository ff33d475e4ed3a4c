import { useReplaceDraft } from '../../flows/hooks/useFlow';
import type { FlowDoc } from '../store/types';
import { editorStore } from '../store/useEditorStore';

/** Restore a version or discard the draft, then show the new draft on the canvas. */
export function useReplaceDraftInEditor(flowId: string) {
  const replace = useReplaceDraft(flowId);
  const run = (from: number | 'live', onDone?: () => void) =>
    replace.mutate(from, {
      onSuccess: (flow) => {
        editorStore.getState().load(flow.draft as FlowDoc, { flowId, readOnly: false });
        onDone?.();
      },
    });
  return { run, isPending: replace.isPending, error: replace.error, reset: replace.reset };
}
