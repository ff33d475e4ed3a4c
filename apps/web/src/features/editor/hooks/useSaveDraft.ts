import { useCallback } from 'react';
import { useSaveFlow } from '../../flows/hooks/useFlow';
import type { FlowDoc } from '../store/types';
import { editorStore } from '../store/useEditorStore';

/**
 * Saves the canvas as the flow's draft when it has unsaved changes, and resolves to the
 * document the server now holds; rejects with the reason when it can't. The toolbar's Save
 * and the actions that need the server to see the canvas first (publish, a test run, setting
 * up a trigger's endpoint) share it.
 */
export function useSaveDraft(flowId: string) {
  const { mutateAsync, isPending } = useSaveFlow(flowId);
  const save = useCallback(async (): Promise<FlowDoc> => {
    const s = editorStore.getState();
    if (s.readOnly) throw new Error('You can view this flow but not change it.');
    const blocking = s.problems.filter((p) => p.blocks === 'save');
    if (blocking.length) throw new Error(`Can’t save yet: ${blocking.map((p) => p.message).join('; ')}`);
    const doc = s.toDocument();
    if (!s.dirty) return doc;
    await mutateAsync(doc as Parameters<typeof mutateAsync>[0]);
    editorStore.getState().markSaved(doc);
    return doc;
  }, [mutateAsync]);
  return { save, saving: isPending };
}
