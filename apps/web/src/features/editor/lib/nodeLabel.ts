import { definitionOf } from '../registry';
import type { EditorNode } from '../store/types';

/** The name a step shows on the canvas: its own label, else its type's, else the type id. */
export function nodeLabel(node: Pick<EditorNode, 'data'>): string {
  const own = node.data.extra?.label;
  return (typeof own === 'string' && own.trim()) || definitionOf(node.data.nodeType)?.label || node.data.nodeType;
}
