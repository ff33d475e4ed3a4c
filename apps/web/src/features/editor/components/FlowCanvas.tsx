import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useMemo, useState, type DragEvent } from 'react';
import { definitionOf } from '../registry';
import type { EditorNode } from '../store/types';
import { editorStore, useEditor } from '../store/useEditorStore';
import { FlowNode } from './FlowNode';
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
  // Fit once to a loaded flow; an empty canvas must not jump when the first step is dropped.
  const [fitOnLoad] = useState(() => editorStore.getState().nodes.length > 0);

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
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        fitView={fitOnLoad}
        fitViewOptions={{ padding: 0.12, maxZoom: 1 }}
        minZoom={0.25}
        maxZoom={1.75}
        defaultEdgeOptions={{ interactionWidth: 24 }}
        connectionRadius={28}
        onlyRenderVisibleElements
        attributionPosition="top-right"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cfd5dd" />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap<EditorNode> style={{ width: 160, height: 104 }} pannable zoomable position="bottom-right" nodeColor={minimapColor} nodeBorderRadius={6} maskColor="rgba(240, 242, 245, 0.7)" />
      </ReactFlow>
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
