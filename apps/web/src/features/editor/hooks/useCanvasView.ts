import { getNodesBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { DEFAULT_NODE_SIZE } from '../lib/placement';
import { readableFit, revealRect } from '../lib/viewport';
import type { EditorNode } from '../store/types';
import { editorStore } from '../store/useEditorStore';

/** Fit view that never goes below a readable zoom, and panning a new step into view. */
export function useCanvasView() {
  const { getViewport, setViewport } = useReactFlow<EditorNode>();
  const rf = useStoreApi<EditorNode>();

  const fit = useCallback(
    (duration = 0) => {
      // The store's nodes, not React Flow's: right after a tidy-up React Flow has not seen the new positions yet.
      const nodes = editorStore.getState().nodes;
      const { width, height } = rf.getState();
      if (!nodes.length || !width || !height) return;
      void setViewport(readableFit(getNodesBounds(nodes), { width, height }), { duration });
    },
    [rf, setViewport],
  );

  const reveal = useCallback(
    (position: { x: number; y: number }) => {
      const { width, height } = rf.getState();
      if (!width || !height) return;
      const next = revealRect(getViewport(), { width, height }, { ...position, ...DEFAULT_NODE_SIZE });
      if (next) void setViewport(next, { duration: 200 });
    },
    [getViewport, rf, setViewport],
  );

  return { fit, reveal };
}
