import { useEffect, useRef } from 'react';
import { editorStore } from '../store/useEditorStore';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * The step or connection keyboard focus is on (React Flow marks both with `data-id`), unless it
 * is part of the selection: then Delete means the whole selection.
 */
function focusedElement(target: EventTarget | null): { nodes?: string[]; edges?: string[] } | null {
  if (!(target instanceof Element)) return null;
  const node = target.closest('.react-flow__node');
  const edge = target.closest('.react-flow__edge');
  const el = node ?? edge;
  const id = el?.getAttribute('data-id');
  if (!el || !id || el.classList.contains('selected')) return null;
  return node ? { nodes: [id] } : { edges: [id] };
}

/** Ctrl/⌘+S save, Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo, Delete/Backspace removes the focused step or connection, else the selection; Escape deselects. */
export function useEditorShortcuts(onSave: () => void) {
  const save = useRef(onSave);
  useEffect(() => {
    save.current = onSave;
  }, [onSave]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        save.current();
        return;
      }
      if (isTyping(e.target) || document.querySelector('dialog[open]')) return;
      const s = editorStore.getState();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        s.redo();
      } else if (e.key === 'Escape') {
        s.select(null);
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault();
        s.remove(focusedElement(e.target) ?? undefined);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
