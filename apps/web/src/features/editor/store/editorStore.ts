import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { connectionProblem } from '../lib/graph';
import { nextEdgeId, nextNodeId } from '../lib/ids';
import type { RunData } from '../lib/dataScope';
import { tidyLayout } from '../lib/layout';
import { firstFreePort, freeSpot, placeAfter, rectOf } from '../lib/placement';
import { mergeSaved } from '../lib/mergeSaved';
import { fromDocument, INPUT_HANDLE, toDocument } from './document';
import type { EditorEdge, EditorNode, FlowDoc, PanelPrefs, PanelPrefsPort, Problem, RegistryPort, StepOverlay } from './types';

interface Snapshot {
  name: string;
  nodes: EditorNode[];
  edges: EditorEdge[];
}

export interface EditorState {
  flowId: string | null;
  name: string;
  nodes: EditorNode[];
  edges: EditorEdge[];
  /** Top-level document fields the editor doesn't own; written back unchanged. */
  docExtra: Record<string, unknown>;
  readOnly: boolean;
  dirty: boolean;
  past: Snapshot[];
  future: Snapshot[];
  problems: Problem[];
  problemsByNode: Record<string, Problem[]>;
  problemsByEdge: Record<string, Problem[]>;
  /** Step status per node while a run is shown on the canvas. */
  overlay: Record<string, StepOverlay> | null;
  /** Which side panels are open; remembered across flows and visits. */
  panels: PanelPrefs;
  /** The output port whose "+" node picker is open. */
  picker: { nodeId: string; port: string } | null;
  /** The flow's newest run data (`GET /api/flows/:id/sample`): what the field picker offers and paths are checked against. */
  runData: RunData | null;
  /** Paths a node's config reads that the sample data lacks: shown on the node and its fields, never blocking. */
  warningsByNode: Record<string, Problem[]>;

  load(doc: FlowDoc, opts?: { flowId?: string | null; readOnly?: boolean }): void;
  rename(name: string): void;
  addNode(type: string, position: XYPosition): string | null;
  /**
   * Adds a step one column after `nodeId` where it overlaps nothing and, with a `port`, connects
   * that output to it, as one undo step. The new step is selected.
   */
  addNodeAfter(type: string, nodeId: string, port: string | null): string | null;
  /**
   * A palette click: after the one selected step (connected from its first free output, if any),
   * else at the free spot nearest `fallback`.
   */
  addNodeByClick(type: string, fallback: XYPosition): string | null;
  togglePanel(panel: keyof PanelPrefs): void;
  openPicker(nodeId: string, port: string): void;
  closePicker(): void;
  connect(connection: Connection): boolean;
  canConnect(connection: Connection | EditorEdge): boolean;
  updateConfig(nodeId: string, config: Record<string, unknown>, coalesceKey?: string): void;
  /** The step's name on the canvas (the document's optional node `label`); empty restores the type's label. */
  setLabel(nodeId: string, label: string): void;
  /** Removes the given nodes/edges, or the current selection; edges of removed nodes go too. */
  remove(ids?: { nodes?: string[]; edges?: string[] }): void;
  undo(): void;
  redo(): void;
  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<EditorEdge>[]): void;
  beginDrag(): void;
  endDrag(): void;
  select(nodeId: string | null): void;
  autoLayout(): void;
  toDocument(): FlowDoc;
  /** Call after a successful save with the document that was sent; later edits stay dirty. */
  markSaved(doc: FlowDoc): void;
  /**
   * The server changed the saved draft (`base` → `saved`, e.g. a set-up action put a credential
   * on a node): `saved` becomes the saved state and the canvas shows it, with any edits made
   * since `base` kept (lib/mergeSaved). Selection and sizes stay; undo history starts again,
   * since its steps predate the server's change and would quietly undo it.
   */
  adoptSaved(base: FlowDoc, saved: FlowDoc): void;
  setOverlay(overlay: Record<string, StepOverlay> | null): void;
  setRunData(runData: RunData | null): void;
  setReadOnly(readOnly: boolean): void;
}

const HISTORY_LIMIT = 100;
const COALESCE_MS = 1200;

function groupBy(problems: Problem[], key: 'nodeId' | 'edgeId'): Record<string, Problem[]> {
  const out: Record<string, Problem[]> = {};
  for (const p of problems) {
    const id = p[key];
    if (id) (out[id] ??= []).push(p);
  }
  return out;
}

export type EditorStore = StoreApi<EditorState>;

const memoryPrefs = (): PanelPrefsPort => {
  let saved: Partial<PanelPrefs> = {};
  return { load: () => saved, save: (p) => (saved = p) };
};

export function createEditorStore(registry: RegistryPort, prefs: PanelPrefsPort = memoryPrefs()): EditorStore {
  // Outside state: drag bookkeeping and history coalescing are not render state.
  let dragStart: Snapshot | null = null;
  let lastKey: string | null = null;
  let lastAt = 0;
  let savedJson = '';

  return createStore<EditorState>()((set, get) => {
    const snapshot = (): Snapshot => {
      const s = get();
      return { name: s.name, nodes: s.nodes, edges: s.edges };
    };

    const derive = (name: string, nodes: EditorNode[], edges: EditorEdge[]) => {
      const doc = toDocument(name, nodes, edges, get().docExtra);
      let problems: Problem[];
      try {
        problems = registry.validate(doc);
      } catch (err) {
        problems = [{ code: 'validator_error', message: `Could not check this flow: ${(err as Error).message}`, blocks: 'publish' }];
      }
      return {
        problems,
        problemsByNode: groupBy(problems, 'nodeId'),
        problemsByEdge: groupBy(problems, 'edgeId'),
        warningsByNode: groupBy(registry.dataWarnings(doc, get().runData), 'nodeId'),
        dirty: JSON.stringify(doc) !== savedJson,
      };
    };

    /** Applies a graph change, recording the previous state for undo unless coalesced with the last one. */
    const commit = (next: Partial<Snapshot>, key?: string, before: Snapshot = snapshot()) => {
      const s = get();
      const now = Date.now();
      const coalesce = key !== undefined && key === lastKey && now - lastAt < COALESCE_MS;
      lastKey = key ?? null;
      lastAt = now;
      const name = next.name ?? s.name;
      const nodes = next.nodes ?? s.nodes;
      const edges = next.edges ?? s.edges;
      set({
        name,
        nodes,
        edges,
        past: coalesce ? s.past : [...s.past, before].slice(-HISTORY_LIMIT),
        future: [],
        ...derive(name, nodes, edges),
      });
    };

    /** Restores a snapshot, keeping React Flow's measured sizes so nodes don't flash. */
    const restore = (target: Snapshot, past: Snapshot[], future: Snapshot[]) => {
      const measured = new Map(get().nodes.map((n) => [n.id, n.measured]));
      const nodes = target.nodes.map((n) => ({ ...n, selected: false, measured: measured.get(n.id) ?? n.measured }));
      const edges = target.edges.map((e) => ({ ...e, selected: false }));
      lastKey = null;
      // The "+" picker belongs to a port that may not exist in the restored graph.
      set({ name: target.name, nodes, edges, past, future, picker: null, ...derive(target.name, nodes, edges) });
    };

    const kindOfNode = (id: string) => {
      const n = get().nodes.find((x) => x.id === id);
      return n ? registry.kindOf(n.data.nodeType) : undefined;
    };
    const portsOfNode = (id: string) => {
      const n = get().nodes.find((x) => x.id === id);
      return n ? registry.portsOf(n.data.nodeType) : undefined;
    };

    return {
      flowId: null,
      name: '',
      nodes: [],
      edges: [],
      docExtra: {},
      readOnly: false,
      dirty: false,
      past: [],
      future: [],
      problems: [],
      problemsByNode: {},
      problemsByEdge: {},
      overlay: null,
      panels: { palette: true, side: true, ...prefs.load() },
      picker: null,
      runData: null,
      warningsByNode: {},

      load(doc, opts = {}) {
        const { name, nodes, edges, extra } = fromDocument(doc);
        savedJson = JSON.stringify(toDocument(name, nodes, edges, extra));
        lastKey = null;
        dragStart = null;
        set({ flowId: opts.flowId ?? null, readOnly: opts.readOnly ?? false, docExtra: extra, name, nodes, edges, past: [], future: [], overlay: null, picker: null, runData: null });
        set(derive(name, nodes, edges));
      },

      rename(name) {
        if (get().readOnly || name === get().name) return;
        commit({ name }, 'rename');
      },

      addNode(type, position) {
        const s = get();
        if (s.readOnly || registry.kindOf(type) === undefined) return null;
        const id = nextNodeId(type, s.nodes.map((n) => n.id));
        const node: EditorNode = {
          id,
          type: 'handoff',
          position: { x: Math.round(position.x), y: Math.round(position.y) },
          data: { nodeType: type, config: registry.defaultsOf(type) },
          selected: true,
        };
        commit({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
        return id;
      },

      addNodeAfter(type, nodeId, port) {
        const s = get();
        const source = s.nodes.find((n) => n.id === nodeId);
        if (s.readOnly || !source || registry.kindOf(type) === undefined) return null;
        const ports = registry.portsOf(source.data.nodeType) ?? [];
        const connectable = port !== null && ports.includes(port) && registry.kindOf(type) !== 'trigger';
        const id = nextNodeId(type, s.nodes.map((n) => n.id));
        const node: EditorNode = {
          id,
          type: 'handoff',
          position: placeAfter(source, ports, connectable ? port : null, s.nodes),
          data: { nodeType: type, config: registry.defaultsOf(type) },
          selected: true,
        };
        const edges = connectable
          ? [...s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), { id: nextEdgeId(s.edges.map((e) => e.id)), source: nodeId, sourceHandle: port, target: id, targetHandle: INPUT_HANDLE }]
          : s.edges;
        commit({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges });
        set({ picker: null });
        return id;
      },

      addNodeByClick(type, fallback) {
        const s = get();
        const selected = s.nodes.filter((n) => n.selected);
        if (selected.length === 1 && registry.kindOf(type) !== 'trigger') {
          const from = selected[0];
          return get().addNodeAfter(type, from.id, firstFreePort(from.id, registry.portsOf(from.data.nodeType) ?? [], s.edges));
        }
        return get().addNode(type, freeSpot(fallback, s.nodes.map(rectOf)));
      },

      togglePanel(panel) {
        const panels = { ...get().panels, [panel]: !get().panels[panel] };
        set({ panels });
        prefs.save(panels);
      },

      openPicker(nodeId, port) {
        if (!get().readOnly) set({ picker: { nodeId, port } });
      },

      closePicker() {
        if (get().picker) set({ picker: null });
      },

      canConnect(c) {
        const s = get();
        if (s.readOnly) return false;
        if (c.targetHandle && c.targetHandle !== INPUT_HANDLE) return false;
        return connectionProblem(c, { edges: s.edges, kindOf: kindOfNode, portsOf: portsOfNode }) === null;
      },

      connect(c) {
        if (!get().canConnect(c)) return false;
        const s = get();
        const edge: EditorEdge = {
          id: nextEdgeId(s.edges.map((e) => e.id)),
          source: c.source,
          sourceHandle: c.sourceHandle,
          target: c.target,
          targetHandle: INPUT_HANDLE,
        };
        commit({ edges: [...s.edges, edge] });
        return true;
      },

      updateConfig(nodeId, config, coalesceKey) {
        const s = get();
        if (s.readOnly || !s.nodes.some((n) => n.id === nodeId)) return;
        commit(
          { nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config } } : n)) },
          coalesceKey ? `config:${nodeId}:${coalesceKey}` : undefined,
        );
      },

      setLabel(nodeId, label) {
        const s = get();
        if (s.readOnly || !s.nodes.some((n) => n.id === nodeId)) return;
        commit(
          {
            nodes: s.nodes.map((n) => {
              if (n.id !== nodeId) return n;
              const { label: _old, ...rest } = n.data.extra ?? {};
              const extra = label.trim() ? { ...rest, label } : rest;
              return { ...n, data: { ...n.data, extra } };
            }),
          },
          `label:${nodeId}`,
        );
      },

      remove(ids) {
        const s = get();
        if (s.readOnly) return;
        const nodeIds = new Set(ids ? (ids.nodes ?? []) : s.nodes.filter((n) => n.selected).map((n) => n.id));
        const edgeIds = new Set(ids ? (ids.edges ?? []) : s.edges.filter((e) => e.selected).map((e) => e.id));
        const edges = s.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
        const nodes = s.nodes.filter((n) => !nodeIds.has(n.id));
        if (nodes.length === s.nodes.length && edges.length === s.edges.length) return;
        commit({ nodes, edges });
        if (s.picker && nodeIds.has(s.picker.nodeId)) set({ picker: null });
      },

      undo() {
        const s = get();
        const prev = s.past.at(-1);
        if (!prev || s.readOnly) return;
        restore(prev, s.past.slice(0, -1), [snapshot(), ...s.future]);
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next || s.readOnly) return;
        restore(next, [...s.past, snapshot()], s.future.slice(1));
      },

      onNodesChange(changes) {
        const s = get();
        // Adding and removing go through addNode/remove so they are recorded for undo.
        const allowed = changes.filter((c) => c.type === 'select' || c.type === 'dimensions' || (c.type === 'position' && !s.readOnly));
        if (!allowed.length) return;
        set({ nodes: applyNodeChanges(allowed, s.nodes) });
      },

      onEdgesChange(changes) {
        const allowed = changes.filter((c) => c.type === 'select');
        if (!allowed.length) return;
        set({ edges: applyEdgeChanges(allowed, get().edges) });
      },

      beginDrag() {
        if (!get().readOnly) dragStart = snapshot();
      },

      endDrag() {
        const before = dragStart;
        dragStart = null;
        if (!before) return;
        const s = get();
        const prev = new Map(before.nodes.map((n) => [n.id, n.position]));
        const moved = s.nodes.some((n) => {
          const p = prev.get(n.id);
          return p && (p.x !== n.position.x || p.y !== n.position.y);
        });
        if (moved) commit({ nodes: s.nodes.map((n) => ({ ...n, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } })) }, undefined, before);
      },

      select(nodeId) {
        const s = get();
        set({
          nodes: s.nodes.map((n) => (n.selected === (n.id === nodeId) ? n : { ...n, selected: n.id === nodeId })),
          edges: s.edges.some((e) => e.selected) ? s.edges.map((e) => ({ ...e, selected: false })) : s.edges,
        });
      },

      autoLayout() {
        const s = get();
        if (s.readOnly || !s.nodes.length) return;
        const trigger = s.nodes.find((n) => registry.kindOf(n.data.nodeType) === 'trigger');
        // Rows as far apart as the tallest card needs (a review step with a problem line is ~190 px).
        const tallest = Math.max(...s.nodes.map((n) => rectOf(n).height));
        const pos = tidyLayout(s.nodes, s.edges, { columnWidth: 300, rowHeight: Math.max(160, Math.ceil(tallest) + 32), first: trigger?.id });
        commit({ nodes: s.nodes.map((n) => ({ ...n, position: pos[n.id] ?? n.position })) });
      },

      toDocument() {
        const s = get();
        return toDocument(s.name, s.nodes, s.edges, s.docExtra);
      },

      markSaved(doc) {
        savedJson = JSON.stringify(doc);
        set({ dirty: JSON.stringify(get().toDocument()) !== savedJson });
      },

      adoptSaved(base, saved) {
        const s = get();
        const normal = fromDocument(saved);
        const { name, nodes, edges, extra } = fromDocument(mergeSaved(base, toDocument(normal.name, normal.nodes, normal.edges, normal.extra), s.toDocument()));
        const before = new Map(s.nodes.map((n) => [n.id, n]));
        const kept = nodes.map((n) => {
          const prev = before.get(n.id);
          return prev ? { ...n, selected: prev.selected, measured: prev.measured } : n;
        });
        savedJson = JSON.stringify(toDocument(normal.name, normal.nodes, normal.edges, normal.extra));
        lastKey = null;
        set({ docExtra: extra, name, nodes: kept, edges, past: [], future: [] });
        set(derive(name, kept, edges));
      },

      setOverlay(overlay) {
        set({ overlay });
      },

      setRunData(runData) {
        const s = get();
        set({ runData });
        set({ warningsByNode: groupBy(registry.dataWarnings(s.toDocument(), runData), 'nodeId') });
      },

      setReadOnly(readOnly) {
        set({ readOnly });
      },
    };
  });
}
