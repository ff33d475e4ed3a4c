import type { FlowEdge, FlowNode } from './flow-document';
import { isTrigger } from './registry';

/** The part of a flow document the graph walk needs, so the editor can pass its own state. */
export interface FlowGraph {
  nodes: ReadonlyArray<Pick<FlowNode, 'id' | 'type'>>;
  edges: ReadonlyArray<Pick<FlowEdge, 'id' | 'source' | 'sourcePort' | 'target'>>;
}

type GraphEdge = FlowGraph['edges'][number];

function nodeIds(doc: FlowGraph): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

/** Edges whose both ends exist; dangling edges are a validation problem, not a path. */
function liveEdges(doc: FlowGraph): GraphEdge[] {
  const ids = nodeIds(doc);
  return doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
}

/** Targets reached when `nodeId` finishes on `port`, in edge order, each once. */
export function nextNodes(doc: FlowGraph, nodeId: string, port: string): string[] {
  const targets = liveEdges(doc)
    .filter((e) => e.source === nodeId && e.sourcePort === port)
    .map((e) => e.target);
  return [...new Set(targets)];
}

/** Edges into a node. More than one makes it a join: the engine runs it once per run. */
export function incoming(doc: FlowGraph, nodeId: string): GraphEdge[] {
  return liveEdges(doc).filter((e) => e.target === nodeId);
}

export function outgoing(doc: FlowGraph, nodeId: string): GraphEdge[] {
  return liveEdges(doc).filter((e) => e.source === nodeId);
}

export function triggerNodes<N extends FlowGraph['nodes'][number]>(doc: { nodes: readonly N[] }): N[] {
  return doc.nodes.filter((n) => isTrigger(n.type));
}

/** The flow's trigger, or null when there is none (a valid flow has exactly one). */
export function triggerNode<N extends FlowGraph['nodes'][number]>(doc: { nodes: readonly N[] }): N | null {
  return triggerNodes(doc)[0] ?? null;
}

/** Ids reachable from `startId` following edges, including `startId`, breadth first. */
export function reachableFrom(doc: FlowGraph, startId: string): string[] {
  const edges = liveEdges(doc);
  const seen = new Set<string>([startId]);
  const queue = [startId];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const e of edges) {
      if (e.source === id && !seen.has(e.target)) {
        seen.add(e.target);
        queue.push(e.target);
      }
    }
  }
  return [...seen];
}

/** Ids of the nodes that can run before `nodeId` in a run (every node with a path to it), nearest first. */
export function ancestorsOf(doc: FlowGraph, nodeId: string): string[] {
  return ancestorIndex(doc)(nodeId);
}

/** `ancestorsOf` for many nodes of one graph: the edges are indexed once. */
export function ancestorIndex(doc: FlowGraph): (nodeId: string) => string[] {
  const sources = new Map<string, string[]>();
  for (const e of liveEdges(doc)) {
    const list = sources.get(e.target);
    if (list) list.push(e.source);
    else sources.set(e.target, [e.source]);
  }
  return (nodeId) => {
    const seen = new Set<string>([nodeId]);
    const out: string[] = [];
    for (let i = -1; i < out.length; i++) {
      for (const source of sources.get(i < 0 ? nodeId : out[i]) ?? []) {
        if (!seen.has(source)) {
          seen.add(source);
          out.push(source);
        }
      }
    }
    return out;
  };
}

/** Groups of nodes that can all reach each other (Tarjan); a group of one only with a self-loop. */
function loopingGroups(doc: FlowGraph): string[][] {
  const edges = liveEdges(doc);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.get(id) ?? 0);
    stack.push(id);
    onStack.add(id);
    for (const e of edges) {
      if (e.source !== id) continue;
      if (!index.has(e.target)) {
        visit(e.target);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(e.target) ?? 0));
      } else if (onStack.has(e.target)) {
        low.set(id, Math.min(low.get(id) ?? 0, index.get(e.target) ?? 0));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const group: string[] = [];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      onStack.delete(n);
      group.push(n);
      if (n === id) break;
    }
    const selfLoop = edges.some((e) => e.source === id && e.target === id);
    if (group.length > 1 || selfLoop) groups.push(group.reverse());
  };

  for (const n of doc.nodes) if (!index.has(n.id)) visit(n.id);
  return groups;
}

/** Shortest way from `start` back to itself through `group`, as `[start, ..., start]`. */
function loopThrough(doc: FlowGraph, group: string[]): string[] {
  const members = new Set(group);
  const edges = liveEdges(doc).filter((e) => members.has(e.source) && members.has(e.target));
  const start = group[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const e of edges) {
      if (e.source !== id) continue;
      if (e.target === start) {
        const path = [start];
        for (let n: string | undefined = id; n !== undefined && n !== start; n = cameFrom.get(n)) path.splice(1, 0, n);
        return [...path, start];
      }
      if (!cameFrom.has(e.target)) {
        cameFrom.set(e.target, id);
        queue.push(e.target);
      }
    }
  }
  return [start, start];
}

/**
 * Loops in the graph: one per group of nodes that can reach each other, each as the path
 * it takes (`['a', 'b', 'a']`). A group can hold more nodes than the loop shown for it.
 */
export function findCycles(doc: FlowGraph): string[][] {
  return loopingGroups(doc).map((g) => loopThrough(doc, g));
}

/** One loop in the graph (see findCycles), or null when the graph is acyclic. */
export function findCycle(doc: FlowGraph): string[] | null {
  return findCycles(doc)[0] ?? null;
}
