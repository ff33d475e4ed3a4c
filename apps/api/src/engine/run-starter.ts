import type { EntityManager } from 'typeorm';
import { FlowDocument, getNodeType, triggerNode } from '@handoff/nodes';
import { addJob } from './queue';
import { notifyRun } from './notify';
import { maxAttemptsFor } from './retry-policy';

export interface StartRunInput {
  flowId: string;
  /** 0 for a test run of the draft, which keeps its own copy of the document. */
  version: number;
  document: FlowDocument;
  trigger: Record<string, unknown>;
  triggerType: string | null;
  test?: boolean;
  eventId?: string | null;
  customerId?: string | null;
  email?: string | null;
}

/**
 * Event id, customer id and e-mail are indexed search keys on runs; a value too long for a
 * btree entry (only forged or hand-written input has one) is left out rather than failing the insert.
 */
export function searchKey(value: string | null | undefined): string | null {
  return value && value.length <= 320 ? value : null;
}

/** The step every run begins with: its trigger node, and the attempts its job gets. */
export function firstStep(document: FlowDocument): { nodeId: string; nodeType: string; maxAttempts: number } {
  const trigger = triggerNode(document);
  if (!trigger) throw new Error('This flow version has no trigger node');
  return { nodeId: trigger.id, nodeType: trigger.type, maxAttempts: maxAttemptsFor(getNodeType(trigger.type), trigger.config) };
}

/**
 * Creates the run, its trigger step and the job for it on the caller's transaction, so they
 * commit together with whatever caused the run or not at all. (The Stripe webhook does the
 * same rows in its single ingest statement: keep the two in step.)
 */
export async function startRun(m: EntityManager, input: StartRunInput): Promise<string> {
  const first = firstStep(input.document);
  const [run] = await m.query(
    `INSERT INTO runs (flow_id, version, status, test, trigger, trigger_type, event_id, customer_id, email, document)
     VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      input.flowId,
      input.version,
      input.test ?? false,
      input.trigger,
      input.triggerType,
      searchKey(input.eventId),
      searchKey(input.customerId),
      searchKey(input.email),
      input.version === 0 ? JSON.stringify(input.document) : null,
    ],
  );
  await m.query(`INSERT INTO steps (run_id, node_id, node_type, status, max_attempts) VALUES ($1, $2, $3, 'queued', $4)`, [run.id, first.nodeId, first.nodeType, first.maxAttempts]);
  await addJob(m, 'run_step', { runId: run.id, nodeId: first.nodeId }, { maxAttempts: first.maxAttempts });
  await notifyRun(m, { runId: run.id, flowId: input.flowId, runStatus: 'queued' });
  return run.id;
}
