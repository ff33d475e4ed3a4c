import type { EdgeRef, FlowDiff, NodeRef } from '@handoff/nodes';

export interface DiffLine {
  kind: 'added' | 'removed' | 'changed' | 'moved' | 'flow';
  text: string;
}

/**
 * The diff of a published version against the draft as lines people read: what the draft
 * added, removed and changed since that version. `typeLabel` names a node type ("Branch").
 */
export function describeDiff(diff: FlowDiff, typeLabel: (type: string) => string): DiffLine[] {
  const step = (n: NodeRef) => (n.label ? `${n.label} (${n.id})` : `${typeLabel(n.type)} (${n.id})`);
  const edge = (e: EdgeRef) => `${e.source}${e.sourcePort === 'out' ? '' : ` [${e.sourcePort}]`} → ${e.target}`;
  const lines: DiffLine[] = [];
  if (diff.name) lines.push({ kind: 'flow', text: `Renamed from “${diff.name.from}” to “${diff.name.to}”` });
  if (diff.description) lines.push({ kind: 'flow', text: 'Description changed' });
  for (const n of diff.nodes.added) lines.push({ kind: 'added', text: `Step added: ${step(n)}` });
  for (const n of diff.nodes.removed) lines.push({ kind: 'removed', text: `Step removed: ${step(n)}` });
  for (const n of diff.nodes.changed) lines.push({ kind: 'changed', text: `Step changed: ${step(n)}: ${n.fields.map((f) => f.replace(/^config\./, '')).join(', ')}` });
  for (const e of diff.edges.added) lines.push({ kind: 'added', text: `Connection added: ${edge(e)}` });
  for (const e of diff.edges.removed) lines.push({ kind: 'removed', text: `Connection removed: ${edge(e)}` });
  if (diff.settings.length) lines.push({ kind: 'changed', text: `Settings changed: ${diff.settings.join(', ')}` });
  if (diff.nodes.moved.length) lines.push({ kind: 'moved', text: `Moved on the canvas: ${diff.nodes.moved.map(step).join(', ')}` });
  return lines;
}
