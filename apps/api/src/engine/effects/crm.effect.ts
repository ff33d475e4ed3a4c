import type { EntityManager } from 'typeorm';
import type { CrmContactInput, CrmDealInput, CrmQueuedWrite, CrmTaskInput, CrmTaskResult, CrmTicketInput, EffectPorts, OutsideCrm } from '@handoff/nodes';
import { providerLabel } from '@handoff/nodes';
import { CrmInputError, dealSnapshot, patchDeal, upsertContact, upsertDeal } from '../../crm/crm.store';
import { createTask as insertTask } from '../../crm/tasks.store';
import { crmWriteMessage, queuedWrite, type CrmWrite } from '../../outbox/connectors/crm-write';
import { PermanentStepError } from '../step-errors';

interface CrmOrigin {
  runId: string;
  nodeId: string;
  /** A test run of a draft: the deals it writes are test deals. */
  test: boolean;
}

/**
 * A write to HubSpot or Salesforce: queued in the outbox on the step's transaction and delivered by
 * the connector with retries, upserted there by the write's key. The step's output says it was queued.
 */
async function queueCrmWrite(outbox: EffectPorts['outbox'], connection: OutsideCrm, credential: string | undefined, write: CrmWrite): Promise<CrmQueuedWrite> {
  if (!credential) throw new PermanentStepError(`Writing to ${providerLabel(connection)} needs a ${connection} credential on the step`);
  const { id } = await outbox.enqueue(crmWriteMessage(connection, credential, write));
  return queuedWrite(connection, id, write);
}

/** The crm.updateContact port: the built-in contact found or created like a deal's, properties merged in the same statement, on the step's transaction. */
export async function updateContact(m: EntityManager, input: CrmContactInput, outbox: EffectPorts['outbox']) {
  if (input.connection !== 'builtin') return queueCrmWrite(outbox, input.connection, input.credential, { contact: input });
  try {
    const contact = await upsertContact(m, input, input.properties);
    return { contactId: contact.id, email: contact.email, stripeCustomerId: contact.stripe_customer_id, properties: contact.properties };
  } catch (e) {
    if (e instanceof CrmInputError) throw new PermanentStepError(e.message);
    throw e;
  }
}

/** The crm.createTask port: a built-in task commits with the step (and its notice, queued by the node). */
export async function createTask(m: EntityManager, origin: CrmOrigin, input: CrmTaskInput, outbox: EffectPorts['outbox']): Promise<CrmTaskResult> {
  const connection = input.connection ?? 'builtin';
  if (connection !== 'builtin') {
    if (!input.key) throw new PermanentStepError('The task has no key to upsert it by');
    const queued = await queueCrmWrite(outbox, connection, input.credential, { task: { ...input, key: input.key } });
    return { ...queued, assignee: input.assignee, dueAt: input.dueAt };
  }
  try {
    const task = await insertTask(m, input, { type: 'run', id: origin.runId }, origin);
    return { taskId: task.id, dealId: task.deal_id, assignee: task.assignee, dueAt: task.due_at?.toISOString() ?? null };
  } catch (e) {
    if (e instanceof CrmInputError) throw new PermanentStepError(e.message);
    throw e;
  }
}

/** The crm.createTicket port: tickets live only in outside CRMs (HubSpot). */
export function createTicket(input: CrmTicketInput, outbox: EffectPorts['outbox']): Promise<CrmQueuedWrite> {
  return queueCrmWrite(outbox, input.connection, input.credential, { ticket: input });
}

/** A run's write to a deal it names (a CRM trigger's deal, an invoice's deal): only what it sets changes. */
async function patchById(m: EntityManager, origin: CrmOrigin, input: CrmDealInput) {
  const dealId = input.dealId as string;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(dealId)) throw new CrmInputError(`Deal ${dealId} not found`, 'not_found');
  const stripe = input.stripe && Object.fromEntries(Object.entries(input.stripe).filter(([, v]) => v !== null));
  await patchDeal(
    m,
    dealId,
    {
      ...(input.stage ? { stage: input.stage } : {}),
      ...(input.amount !== null && input.amount !== undefined ? { amount: input.amount } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      ...(input.product ? { product: input.product } : {}),
      ...(input.fields && Object.keys(input.fields).length ? { fields: input.fields } : {}),
      ...(stripe && Object.keys(stripe).length ? { stripe } : {}),
    },
    { type: 'run', id: origin.runId },
  );
  return { dealId, ...(await dealSnapshot(m, dealId)) };
}

/**
 * The crm.updateDeal port. The built-in CRM is written on the step's transaction, so the
 * deal, its history and the step's output commit together. HubSpot and Salesforce are third
 * parties: the update is queued in the outbox (same transaction) and delivered by their
 * connector with retries; the step's output says it was queued.
 */
export async function updateDeal(m: EntityManager, origin: CrmOrigin, input: CrmDealInput, outbox: EffectPorts['outbox']): Promise<unknown> {
  if (input.connection === 'builtin') {
    try {
      if (input.dealId) return { connection: 'builtin', ...(await patchById(m, origin, input)) };
      const deal = await upsertDeal(m, { ...input, test: origin.test }, { type: 'run', id: origin.runId }, origin.runId);
      return { connection: 'builtin', ...deal };
    } catch (e) {
      if (e instanceof CrmInputError) throw new PermanentStepError(e.message);
      throw e;
    }
  }
  if (!input.objectId) {
    throw new PermanentStepError(
      `${providerLabel(input.connection)} finds the deal again by its Stripe object id, which is empty for this run: set "objectId" on the step (e.g. the checkout session id)`,
    );
  }
  const queued = await queueCrmWrite(outbox, input.connection, input.credential, { deal: { ...input, objectId: input.objectId } });
  return { connection: input.connection, queued: true, outboxId: queued.outboxId, objectId: input.objectId, stage: input.stage };
}
