import { useMemo } from 'react';
import { sampleScopeFor, type SampleScope } from '../lib/dataScope';
import { toDocument } from '../store/document';
import { useEditor } from '../store/useEditorStore';

/** The sample data `nodeId` can read, recomputed when the graph or the run data changes. */
export function useSampleScope(nodeId: string, flowId: string): SampleScope {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const name = useEditor((s) => s.name);
  const runData = useEditor((s) => s.runData);
  return useMemo(() => sampleScopeFor(toDocument(name, nodes, edges, {}), nodeId, runData, flowId), [name, nodes, edges, runData, nodeId, flowId]);
}
