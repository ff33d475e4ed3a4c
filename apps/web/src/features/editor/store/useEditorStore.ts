import { useStore } from 'zustand';
import { registryPort } from '../registry';
import { createEditorStore, type EditorState } from './editorStore';

/** The one editor store: nodes, edges, selection, dirty flag, history and the run overlay. */
export const editorStore = createEditorStore(registryPort);

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(editorStore, selector);
}
