import type { DocEdge, DocNode, EditorEdge, EditorNode, FlowDoc } from './types';

export const INPUT_HANDLE = 'in';

export function toEditorNode(n: DocNode): EditorNode {
  const { id, type, position, config, ...extra } = n;
  return {
    id,
    type: 'handoff',
    position: { x: Number(position?.x) || 0, y: Number(position?.y) || 0 },
    data: { nodeType: type, config: config ?? {}, ...(Object.keys(extra).length ? { extra } : {}) },
  };
}

export function toEditorEdge(e: DocEdge): EditorEdge {
  const { id, source, sourcePort, target } = e;
  return { id, source, sourceHandle: sourcePort, target, targetHandle: INPUT_HANDLE };
}

export function toDocNode(n: EditorNode): DocNode {
  return {
    ...(n.data.extra ?? {}),
    id: n.id,
    type: n.data.nodeType,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    config: n.data.config,
  };
}

export function toDocEdge(e: EditorEdge): DocEdge {
  return { id: e.id, source: e.source, sourcePort: e.sourceHandle ?? 'out', target: e.target };
}

export function toDocument(name: string, nodes: EditorNode[], edges: EditorEdge[], extra: Record<string, unknown> = {}): FlowDoc {
  return { ...extra, schema: 'handoff.flow/1', name, nodes: nodes.map(toDocNode), edges: edges.map(toDocEdge) };
}

/** Splits a document into editor state plus the top-level fields the editor doesn't own. */
export function fromDocument(doc: FlowDoc): { name: string; nodes: EditorNode[]; edges: EditorEdge[]; extra: Record<string, unknown> } {
  const { schema: _schema, name, nodes, edges, ...extra } = doc;
  return {
    name: name ?? 'Untitled flow',
    nodes: (nodes ?? []).map(toEditorNode),
    edges: (edges ?? []).map(toEditorEdge),
    extra,
  };
}
