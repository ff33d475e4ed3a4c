import type { CrmContactInput, CrmDealInput, CrmQueuedWrite, CrmTaskInput, CrmTicketInput, OutboxMessage as QueuedMessage, OutsideCrm } from '@handoff/nodes';
import { providerLabel } from '@handoff/nodes';
import type { OutboxMessage } from '../outbox-message.entity';

/**
 * What an outbox message to HubSpot or Salesforce asks for, in its `payload`. One key per kind
 * of record; `{ deal }` is what messages queued before tasks and tickets existed carry.
 */
export type CrmWrite =
  | { deal: CrmDealInput & { objectId: string } }
  | { contact: CrmContactInput }
  | { task: CrmTaskInput & { key: string } }
  | { ticket: CrmTicketInput };

/** The unique value the record is upserted by in the outside CRM. */
export function upsertKeyOf(write: CrmWrite): string {
  if ('deal' in write) return write.deal.objectId;
  if ('contact' in write) return write.contact.customerId ?? write.contact.email ?? '';
  if ('task' in write) return write.task.key;
  return write.ticket.key;
}

/** The outbox message for a write (what the outbox list shows, and the payload the connector reads). */
export function crmWriteMessage(connection: OutsideCrm, credential: string, write: CrmWrite): QueuedMessage {
  const crm = providerLabel(connection);
  const base = { channel: connection, credential, payload: { ...write } };
  if ('deal' in write) {
    const d = write.deal;
    const who = d.email ?? d.customerId;
    const amount = d.amount !== null && d.amount !== undefined ? `, amount ${d.amount} ${d.currency ?? ''}`.trimEnd() : '';
    return { ...base, recipient: who ?? undefined, subject: `${crm} deal ${d.objectId} → ${d.stage}`, body: `Set the ${crm} deal for ${who} (${d.objectId}) to ${d.stage}${amount}` };
  }
  if ('contact' in write) {
    const c = write.contact;
    const who = c.email ?? c.customerId ?? '';
    return { ...base, recipient: who, subject: `${crm} contact ${who}`, body: `Set ${Object.keys(c.properties).join(', ') || 'nothing but the keys'} on the ${crm} contact ${who}` };
  }
  if ('task' in write) {
    const t = write.task;
    return { ...base, recipient: t.assignee, subject: `${crm} task ${t.key}`, body: `Task for ${t.assignee}: ${t.title}${t.dueAt ? ` (due ${t.dueAt})` : ''}` };
  }
  const k = write.ticket;
  return { ...base, recipient: k.person.email ?? k.person.customerId ?? undefined, subject: `${crm} ticket ${k.key}`, body: `Ticket (${k.priority}): ${k.subject}` };
}

export function queuedWrite(connection: string, outboxId: string, write: CrmWrite): CrmQueuedWrite {
  return { connection, queued: true, outboxId, key: upsertKeyOf(write) };
}

/** The write a queued message carries (our own effect wrote it); a message that carries none is a bug. */
export function crmWriteOf(message: Pick<OutboxMessage, 'payload'>): CrmWrite {
  const p = message.payload as { deal?: CrmDealInput; contact?: CrmContactInput; task?: CrmTaskInput; ticket?: CrmTicketInput };
  if (p.deal) {
    const { objectId } = p.deal;
    if (typeof p.deal.stage !== 'string') throw new Error('The outbox message carries a deal without a stage');
    if (!objectId) throw new Error('The deal has no Stripe object id to find it again by');
    return { deal: { ...p.deal, objectId } };
  }
  if (p.contact) {
    if (!p.contact.customerId && !p.contact.email) throw new Error('The contact has neither a Stripe customer id nor an e-mail to find it by');
    return { contact: p.contact };
  }
  if (p.task) {
    const { key } = p.task;
    if (!key) throw new Error('The task has no key to upsert it by');
    return { task: { ...p.task, key } };
  }
  if (p.ticket) {
    if (!p.ticket.key) throw new Error('The ticket has no key to upsert it by');
    return { ticket: p.ticket };
  }
  throw new Error('The outbox message carries no deal, contact, task or ticket');
}
