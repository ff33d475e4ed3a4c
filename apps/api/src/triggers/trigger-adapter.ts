import type { EntityManager } from 'typeorm';
import type { FlowDocument, FlowNode } from '@handoff/nodes';
import type { RunSpec } from '../runs/store/run-start';

/** A flow's published version and its trigger node, as adapters see it. */
export interface PublishedFlow {
  id: string;
  version: number;
  document: FlowDocument;
  node: FlowNode;
  status: 'active' | 'paused' | 'draft';
}

/** A delivery to `POST /hooks/<path>/:flowId`: the exact bytes, for signature checks. */
export interface HookRequest {
  flowId: string;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** What a hook answers (200): any 2xx ends a sender's retries, so every stored outcome is one. */
export type HookAck =
  | { received: true; duplicate: false; runId: string }
  | { received: true; duplicate: true }
  | { received: true; ignored: true }
  | { received: true; held: true };

/** A stored trigger event (an event held while its flow was paused). */
export interface StoredEvent {
  id: string;
  source: string;
  triggerKey: string;
  type: string;
  payload: unknown;
}

/** The parts of a run a trigger decides; the run-start path adds ids, version and document. */
export type TriggerRun = Omit<RunSpec, 'runId' | 'flowId' | 'version' | 'document'>;

/**
 * The server side of one trigger type (the node file in libs/nodes is what the editor sees).
 * Adding a trigger type is that node file, one of these, and a line in triggers.registry.ts.
 */
export interface TriggerAdapter {
  /** The trigger node type it serves. */
  readonly type: string;
  /** Runs start at `POST /hooks/<hook>/:flowId` (the node's `trigger.hook.path`). */
  readonly hook?: string;
  /** Start firing: on publish of an active flow and on resume. Runs in the caller's transaction. */
  activate?(m: EntityManager, flow: PublishedFlow): Promise<void>;
  /** Stop firing: on pause, on delete, and when a newer version has another trigger type. */
  deactivate?(m: EntityManager, flowId: string): Promise<void>;
  /**
   * Flows whose trigger should be firing but is not (a schedule whose job was lost or failed
   * for good), checked every minute: their ids, to be activated again.
   */
  stalled?(m: EntityManager): Promise<string[]>;
  /** A hook delivery (adapters with `hook`). */
  receive?(req: HookRequest): Promise<HookAck>;
  /** The run of an event held while the flow was paused, on the version published now; null: ignore it. */
  runOf(event: StoredEvent, flow: PublishedFlow): TriggerRun | null;
  /**
   * A test run of the draft from the test dialog's body. `key` is its dedupe key (unique per
   * flow; test runs get their own). Throws TriggerInputError on a body it cannot use.
   */
  testRun(node: FlowNode, body: { event?: unknown; payload?: unknown }): TriggerRun & { key: string; payload: unknown; type: string };
}

/** Bad input to a trigger (a test body, a delivery): the caller answers 400 with the message. */
export class TriggerInputError extends Error {}

export const TRIGGER_ADAPTERS = Symbol('TRIGGER_ADAPTERS');
