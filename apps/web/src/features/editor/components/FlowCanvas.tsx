import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useCanvasView } from '../hooks/useCanvasView';
import { definitionOf } from '../registry';
import type { EditorNode } from '../store/types';
import { editorStore, useEditor } from '../store/useEditorStore';
import { FlowNode } from './FlowNode';
import { NodePicker } from './NodePicker';
import { DRAG_MIME } from './PaletteItem';

/** Module scope so React Flow never sees a new object and remounts nodes. */
const nodeTypes: NodeTypes = { handoff: FlowNode };

const KIND_COLORS: Record<string, string> = {
  trigger: '#7c6cd6',
  logic: '#4a7bd0',
  crm: '#2f9488',
  notify: '#c98a2b',
  intake: '#4b9a5a',
  human: '#c8607a',
  action: '#6b7686',
};

const isValidConnection: IsValidConnection = (c) => editorStore.getState().canConnect(c as Connection);
const onConnect = (c: Connection) => editorStore.getState().connect(c);
const beginDrag = () => editorStore.getState().beginDrag();
const endDrag = () => editorStore.getState().endDrag();
const closePicker = () => editorStore.getState().closePicker();
const minimapColor = (n: EditorNode) => KIND_COLORS[definitionOf(n.data.nodeType)?.kind ?? ''] ?? '#9aa3ae';

interface Props {
  readOnly?: boolean;
  emptyHint?: string;
}

export function FlowCanvas({ readOnly, emptyHint }: Props) {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const problemsByEdge = useEditor((s) => s.problemsByEdge);
  const overlay = useEditor((s) => s.overlay);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const { screenToFlowPosition } = useReactFlow();
  const { fit, reveal } = useCanvasView();
  // Fit once to a loaded flow, when its steps are measured; an empty canvas must not jump when the first step is dropped.
  const [fitOnLoad] = useState(() => editorStore.getState().nodes.length > 0);
  const measured = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!fitOnLoad || fitted.current || !measured) return;
    fitted.current = true;
    fit();
  }, [fitOnLoad, measured, fit]);

  // Edges: red when validation flags them; during a run, the path actually taken is highlighted.
  const shownEdges = useMemo<Edge[]>(
    () =>
      edges.map((e) => {
        const classes: string[] = [];
        if (problemsByEdge[e.id]) classes.push('edge-problem');
        const step = overlay?.[e.source];
        if (overlay) classes.push(step?.port && step.port === e.sourceHandle ? 'edge-taken' : 'edge-idle');
        return classes.length ? { ...e, className: classes.join(' '), animated: !!(step?.port === e.sourceHandle && overlay?.[e.target]?.status === 'running') } : e;
      }),
    [edges, problemsByEdge, overlay],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_MIME);
      if (!type) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Centre the card (about 220×80) under the pointer.
      editorStore.getState().addNode(type, { x: p.x - 110, y: p.y - 36 });
    },
    [screenToFlowPosition],
  );

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow<EditorNode>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={readOnly ? undefined : onConnect}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginDrag}
        onNodeDragStop={endDrag}
        onSelectionDragStart={beginDrag}
        onSelectionDragStop={endDrag}
        onDragOver={readOnly ? undefined : onDragOver}
        onDrop={readOnly ? undefined : onDrop}
        onMoveStart={closePicker}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        nodesFocusable
        edgesFocusable
        deleteKeyCode={null}
        minZoom={0.25}
        maxZoom={1.75}
        defaultEdgeOptions={{ interactionWidth: 24 }}
        connectionRadius={28}
        onlyRenderVisibleElements
        attributionPosition="top-right"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cfd5dd" />
        <Controls showInteractive={false} showFitView={false} position="bottom-left">
          {/* React Flow's own fit zooms as far out as it takes; this one stops at a readable zoom and pans. */}
          <ControlButton className="react-flow__controls-fitview" onClick={() => fit(200)} title="Fit view" aria-label="Fit view" data-testid="fit-view">
            <svg viewBox="0 0 32 30" aria-hidden="true">
              <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
            </svg>
          </ControlButton>
        </Controls>
        <MiniMap<EditorNode> style={{ width: 160, height: 104 }} pannable zoomable position="bottom-right" nodeColor={minimapColor} nodeBorderRadius={6} maskColor="rgba(240, 242, 245, 0.7)" />
      </ReactFlow>
      {!readOnly && <NodePicker onAdded={reveal} />}
      {nodes.length === 0 && emptyHint && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <div className="canvas-empty-card">
            <strong>Start with a trigger</strong>
            <span>{emptyHint}</span>
          </div>
        </div>
      )}
    </div>
  );
}
