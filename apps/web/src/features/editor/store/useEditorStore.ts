import { useStore } from 'zustand';
import { registryPort } from '../registry';
import { createEditorStore, type EditorState } from './editorStore';
import type { PanelPrefs, PanelPrefsPort } from './types';

const PANELS_KEY = 'handoff.editor.panels';

/** Panel state survives reloads; a browser that refuses storage just starts with both open. */
const localPanelPrefs: PanelPrefsPort = {
  load() {
    try {
      const raw: unknown = JSON.parse(localStorage.getItem(PANELS_KEY) ?? '{}');
      if (!raw || typeof raw !== 'object') return {};
      const out: Partial<PanelPrefs> = {};
      for (const k of ['palette', 'side'] as const) {
        const v = (raw as Record<string, unknown>)[k];
        if (typeof v === 'boolean') out[k] = v;
      }
      return out;
    } catch {
      return {};
    }
  },
  save(prefs) {
    try {
      localStorage.setItem(PANELS_KEY, JSON.stringify(prefs));
    } catch {
      // Private mode or full storage: the state still applies for this visit.
    }
  },
};

/** The one editor store: nodes, edges, selection, dirty flag, history, the run overlay and panel state. */
export const editorStore = createEditorStore(registryPort, localPanelPrefs);

export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(editorStore, selector);
}
