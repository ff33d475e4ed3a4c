import type { EntityManager } from 'typeorm';
import type { CrmContactInput, CrmDealInput, CrmTaskInput, EffectPorts } from '@handoff/nodes';
import { CrmInputError, dealSnapshot, patchDeal, setContactProperties, upsertContact, upsertDeal } from '../../crm/crm.store';
import { createTask as insertTask } from '../../crm/tasks.store';
import { PermanentStepError } from '../step-errors';

interface CrmOrigin {
  runId: string;
  nodeId: string;
}

/** The crm.updateContact port: found or created like a deal's contact, properties merged, on the step's transaction. */
export async function updateContact(m: EntityManager, input: CrmContactInput) {
  try {
    const contact = await upsertContact(m, input);
    const properties = await setContactProperties(m, contact.id, input.properties);
    return { contactId: contact.id, email: contact.email, stripeCustomerId: contact.stripe_customer_id, properties };
  } catch (e) {
    if (e instanceof CrmInputError) throw new PermanentStepError(e.message);
    throw e;
  }
}

/** The crm.createTask port: the task commits with the step (and its notice, queued by the node). */
export async function createTask(m: EntityManager, origin: CrmOrigin, input: CrmTaskInput) {
  try {
    const task = await insertTask(m, input, { type: 'run', id: origin.runId }, origin);
    return { taskId: task.id, dealId: task.deal_id, assignee: task.assignee, dueAt: task.due_at?.toISOString() ?? null };
  } catch (e) {
    if (e instanceof CrmInputError) throw new PermanentStepError(e.message);
    throw e;
  }
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
      const deal = await upsertDeal(m, input, { type: 'run', id: origin.runId }, origin.runId);
      return { connection: 'builtin', ...deal };
    } catch (e) {
      if (e instanceof CrmInputError) throw new PermanentStepError(e.message);
      throw e;
    }
  }
  const crm = input.connection === 'hubspot' ? 'HubSpot' : 'Salesforce';
  if (!input.credential) throw new PermanentStepError(`A ${crm} deal needs a ${input.connection} credential on the step`);
  if (!input.objectId) {
    throw new PermanentStepError(`${crm} finds the deal again by its Stripe object id, which is empty for this run: set "objectId" on the step (e.g. the checkout session id)`);
  }
  const who = input.email ?? input.customerId;
  const { id } = await outbox.enqueue({
    channel: input.connection,
    credential: input.credential,
    recipient: who ?? undefined,
    subject: `${crm} deal ${input.objectId} → ${input.stage}`,
    body: `Set the ${crm} deal for ${who} (${input.objectId}) to ${input.stage}${input.amount !== null && input.amount !== undefined ? `, amount ${input.amount} ${input.currency ?? ''}`.trimEnd() : ''}`,
    payload: { deal: { ...input } },
  });
  return { connection: input.connection, queued: true, outboxId: id, objectId: input.objectId, stage: input.stage };
}
