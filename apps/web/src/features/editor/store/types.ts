import type { Edge, Node } from '@xyflow/react';
import type { RunData } from '../lib/dataScope';

/** The flow document as the editor reads and writes it (DESIGN.md "The flow document"). */
export interface DocNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
  [extra: string]: unknown;
}
export interface DocEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  [extra: string]: unknown;
}
export interface FlowDoc {
  schema: 'handoff.flow/1';
  name: string;
  nodes: DocNode[];
  edges: DocEdge[];
  [extra: string]: unknown;
}

export interface Problem {
  code?: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  path?: Array<string | number> | string;
  blocks?: 'save' | 'publish';
}

export type EditorNodeData = {
  /** The registry type, e.g. `stripe.trigger` (React Flow's own `type` is the one generic component). */
  nodeType: string;
  config: Record<string, unknown>;
  /** Unknown document fields, kept so a round trip loses nothing. */
  extra?: Record<string, unknown>;
};

export type EditorNode = Node<EditorNodeData, 'handoff'>;
export type EditorEdge = Edge;

/** What the store needs from the node registry; injected so the store is testable on its own. */
export interface RegistryPort {
  kindOf(type: string): string | undefined;
  portsOf(type: string): readonly string[] | undefined;
  defaultsOf(type: string): Record<string, unknown>;
  validate(doc: FlowDoc): Problem[];
  /** Warnings that block nothing: paths the config reads that the sample data lacks. */
  dataWarnings(doc: FlowDoc, runData: RunData | null): Problem[];
}

export interface StepOverlay {
  status: string;
  port?: string | null;
}

export interface PanelPrefs {
  palette: boolean;
  side: boolean;
}

/** Where the open/closed state of the editor's side panels is kept (localStorage in the app). */
export interface PanelPrefsPort {
  load(): Partial<PanelPrefs>;
  save(prefs: PanelPrefs): void;
}
