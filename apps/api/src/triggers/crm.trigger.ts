import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { crmTrigger, FlowDocument, FlowNode } from '@handoff/nodes';
import { ingest } from '../runs/store/run-start';
import { crmTriggerMatches, DealChange } from './crm-trigger-match';
import { PublishedFlow, StoredEvent, TriggerAdapter, TriggerInputError, TriggerRun } from './trigger-adapter';

/** CRM-triggered runs in one chain (a run's change starting another flow, whose change starts another...). */
export const CRM_CHAIN_LIMIT = 5;

interface CrmPayload {
  deal: DealChange['deal'];
  previous: DealChange['previous'];
  change: { kind: DealChange['kind']; seq: string; changed: string[]; by: DealChange['by']; depth: number };
}

const logger = new Logger('CrmTrigger');

/** A published flow with a `crm.trigger`, as startCrmRuns needs it. */
export interface CrmSubscriber {
  flow_id: string;
  version: number;
  config: unknown;
  document: FlowDocument;
}

/** The published flows with a `crm.trigger` (a query a caller may run with its own statement and pass in). */
export const CRM_SUBSCRIBERS = `SELECT t.flow_id, t.version, t.config, v.document FROM flow_triggers t JOIN flow_versions v ON v.flow_id = t.flow_id AND v.version = t.version
     WHERE t.type = 'crm.trigger'`;

function runOfPayload(payload: CrmPayload, on: string): TriggerRun {
  return {
    trigger: payload,
    triggerType: on,
    eventId: `${payload.deal.id}:${payload.change.seq}`,
    customerId: payload.deal.contact.stripeCustomerId,
    email: payload.deal.contact.email,
    depth: payload.change.depth,
  };
}

/**
 * Called by the built-in CRM after it records a change, on the same transaction: every
 * published flow whose `crm.trigger` matches starts its run (or holds it, if paused) with
 * `<deal id>:<change seq>` as the dedupe key, so the run exists if and only if the change
 * commits. A change made by a run never starts that run's own flow (loop guard), and a
 * chain of CRM-triggered runs longer than CRM_CHAIN_LIMIT starts a failed run saying so.
 */
export async function startCrmRuns(m: EntityManager, change: DealChange, known?: CrmSubscriber[]): Promise<Array<{ flowId: string; runId: string | null }>> {
  const subscribed: CrmSubscriber[] = known ?? (await m.query(`${CRM_SUBSCRIBERS} ORDER BY t.flow_id`));
  if (!subscribed.length) return [];
  const [origin]: Array<{ flow_id: string; depth: number }> =
    change.by.type === 'run' ? await m.query(`SELECT flow_id, depth FROM runs WHERE id = $1`, [change.by.id]) : [];
  const started: Array<{ flowId: string; runId: string | null }> = [];
  for (const flow of subscribed) {
    const parsed = crmTrigger.config.safeParse(flow.config);
    if (!parsed.success || !crmTriggerMatches(parsed.data, change)) continue;
    if (origin?.flow_id === flow.flow_id) continue; // loop guard: a flow's own write never starts it again
    const depth = (origin?.depth ?? 0) + 1;
    const payload: CrmPayload = { deal: change.deal, previous: change.previous, change: { kind: change.kind, seq: change.seq, changed: change.changed, by: change.by, depth } };
    const refuse =
      depth > CRM_CHAIN_LIMIT
        ? `Not run: this deal change comes from a chain of ${depth - 1} CRM-triggered runs (limit ${CRM_CHAIN_LIMIT}); flows that update deals are starting each other. Last change by run ${change.by.id}.`
        : undefined;
    const run = { runId: randomUUID(), flowId: flow.flow_id, version: flow.version, document: flow.document, ...runOfPayload(payload, parsed.data.on), ...(refuse ? { refuse } : {}) };
    const result = await ingest(m, { flowId: flow.flow_id, source: 'crm.trigger', key: run.eventId as string, type: parsed.data.on, payload, subscribed: true, holdWhenPaused: true }, run);
    if (refuse) logger.warn({ flowId: flow.flow_id, dealId: change.deal.id, runId: result?.runId, depth }, 'CRM trigger chain stopped at the depth limit');
    started.push({ flowId: flow.flow_id, runId: result?.runId ?? null });
  }
  return started;
}

/** `crm.trigger`: fired by the built-in CRM itself (startCrmRuns); nothing to activate. */
@Injectable()
export class CrmTrigger implements TriggerAdapter {
  readonly type = 'crm.trigger';

  runOf(event: StoredEvent, flow: PublishedFlow): TriggerRun | null {
    const parsed = crmTrigger.config.safeParse(flow.node.config);
    if (!parsed.success || flow.node.type !== this.type) return null;
    const payload = event.payload as CrmPayload;
    const matches = crmTriggerMatches(parsed.data, { kind: payload.change.kind, changed: payload.change.changed, deal: payload.deal });
    return matches ? runOfPayload(payload, parsed.data.on) : null;
  }

  testRun(node: FlowNode, body: { payload?: unknown }) {
    const payload = body.payload as CrmPayload | undefined;
    if (!payload || typeof payload !== 'object' || !payload.deal || typeof payload.deal !== 'object') {
      throw new TriggerInputError('A CRM test run needs `payload`: { deal, previous, change } (the editor prefills a sample)');
    }
    const on = crmTrigger.config.safeParse(node.config).data?.on ?? 'deal.created';
    const shaped: CrmPayload = {
      deal: payload.deal,
      previous: payload.previous ?? null,
      change: { kind: payload.change?.kind ?? 'deal.created', seq: String(payload.change?.seq ?? 0), changed: payload.change?.changed ?? [], by: payload.change?.by ?? { type: 'user', id: 'test' }, depth: 1 },
    };
    const key = `test:${randomUUID()}`;
    return { ...runOfPayload(shaped, on), eventId: null, depth: 0, key, payload: shaped, type: on };
  }
}
