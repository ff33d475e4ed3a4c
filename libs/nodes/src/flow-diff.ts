import type { FlowDocument, FlowEdge, FlowNode } from './flow-document';

export interface NodeRef {
  id: string;
  type: string;
  label?: string;
}
export interface EdgeRef {
  source: string;
  sourcePort: string;
  target: string;
}
export interface FlowDiff {
  /** True when the two documents are the same graph, with the same positions and settings. */
  same: boolean;
  name: { from: string; to: string } | null;
  description: boolean;
  nodes: {
    added: NodeRef[];
    removed: NodeRef[];
    /** What changed on a node kept by id: `type`, `label`, or `config.<key>` per config key. */
    changed: Array<NodeRef & { fields: string[] }>;
    /** Kept nodes whose only change is their place on the canvas. */
    moved: NodeRef[];
  };
  /** Edges are compared by what they connect (source, port, target), not by their generated ids. */
  edges: { added: EdgeRef[]; removed: EdgeRef[] };
  /** Settings keys whose value differs. */
  settings: string[];
}

type Doc = Pick<FlowDocument, 'name' | 'nodes' | 'edges'> & { description?: string; settings?: Record<string, unknown> };

/** `from` → `to`: what someone replacing `from` with `to` (publishing a draft, restoring a version) would change. */
export function diffFlows(from: Doc, to: Doc): FlowDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const added = to.nodes.filter((n) => !before.has(n.id)).map(ref);
  const removed = from.nodes.filter((n) => !after.has(n.id)).map(ref);
  const changed: FlowDiff['nodes']['changed'] = [];
  const moved: NodeRef[] = [];
  for (const n of to.nodes) {
    const old = before.get(n.id);
    if (!old) continue;
    const fields = nodeFields(old, n);
    if (fields.length) changed.push({ ...ref(n), fields });
    else if (old.position.x !== n.position.x || old.position.y !== n.position.y) moved.push(ref(n));
  }
  const edgeKeys = (edges: FlowEdge[]) => new Map(edges.map((e) => [edgeKey(e), { source: e.source, sourcePort: e.sourcePort ?? 'out', target: e.target }]));
  const fromEdges = edgeKeys(from.edges);
  const toEdges = edgeKeys(to.edges);
  const edges = {
    added: [...toEdges].filter(([k]) => !fromEdges.has(k)).map(([, e]) => e),
    removed: [...fromEdges].filter(([k]) => !toEdges.has(k)).map(([, e]) => e),
  };
  const settings = changedKeys(from.settings ?? {}, to.settings ?? {});
  const name = from.name === to.name ? null : { from: from.name, to: to.name };
  const description = (from.description ?? '') !== (to.description ?? '');
  const same = !name && !description && !added.length && !removed.length && !changed.length && !moved.length && !edges.added.length && !edges.removed.length && !settings.length;
  return { same, name, description, nodes: { added, removed, changed, moved }, edges, settings };
}

function ref(n: FlowNode): NodeRef {
  return n.label ? { id: n.id, type: n.type, label: n.label } : { id: n.id, type: n.type };
}

const edgeKey = (e: FlowEdge) => `${e.source}\u0000${e.sourcePort ?? 'out'}\u0000${e.target}`;

function nodeFields(a: FlowNode, b: FlowNode): string[] {
  const fields: string[] = [];
  if (a.type !== b.type) fields.push('type');
  if ((a.label ?? '') !== (b.label ?? '')) fields.push('label');
  for (const key of changedKeys(a.config ?? {}, b.config ?? {})) fields.push(`config.${key}`);
  return fields;
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => canonical(a[k]) !== canonical(b[k]));
}

/** JSON with object keys sorted, so key order never reads as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  ) ?? 'undefined';
}
