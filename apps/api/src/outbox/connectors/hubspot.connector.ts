import { Client } from '@hubspot/api-client';
import { hubspotSecret } from '@handoff/nodes';
import { assertUrlAllowed } from '../../outbound/outbound';
import type { Connector } from './connector';
import { dealPerson } from './crm-deal-payload';
import { crmWriteOf, type CrmWrite } from './crm-write';
import { associate, ownerIdByEmail, upsertContact, upsertOne } from './hubspot-api';
import { dealUpsert, taskUpsert, ticketUpsert } from './hubspot-records';

/**
 * HubSpot through the official client. Every record is written with a batch upsert on a property
 * with "unique value" on (contacts: stripe_customer_id, else email; deals: stripe_object_id; tasks:
 * handoff_task_key; tickets: handoff_ticket_key) and linked with an idempotent v4 association PUT,
 * so a retried delivery, even after HubSpot did the write and the answer was lost, lands on the
 * same records. Nothing reads the search index, so its lag does not matter. See docs/connectors.md.
 */
export const hubspotConnector: Connector = async (message, secret) => {
  const parsed = hubspotSecret.safeParse(secret);
  if (!parsed.success) throw new Error('The HubSpot credential holds no access token');
  const { accessToken, baseUrl } = parsed.data;
  const write = crmWriteOf(message);
  assertUrlAllowed(baseUrl ?? 'https://api.hubapi.com');
  // Retries are the outbox's job (recorded per attempt); the client must not retry on its own.
  const client = new Client({
    accessToken,
    basePath: baseUrl?.replace(/\/+$/, ''),
    numberOfApiCallRetries: 0,
    // Its requests go through Node's global agents, which the outbound address policy replaced
    // (setOutboundPolicy): neither its httpAgent nor its middleware option reaches the batch APIs
    // in 13.x (both tried, both bypassed).
  });
  try {
    await deliver(client, write);
  } catch (e) {
    throw new Error(describe(e), { cause: e });
  }
};

async function deliver(client: Client, write: CrmWrite): Promise<void> {
  if ('deal' in write) {
    const contactId = await upsertContact(client, dealPerson(write.deal));
    const dealId = await upsertOne(client, 'deals', dealUpsert(write.deal));
    if (contactId) await associate(client, 'deals', dealId, 'contacts', contactId);
  } else if ('contact' in write) {
    await upsertContact(client, write.contact, write.contact.properties);
  } else if ('task' in write) {
    const { task } = write;
    const ownerId = await ownerIdByEmail(client, task.assignee);
    const contactId = task.person ? await upsertContact(client, task.person) : null;
    const taskId = await upsertOne(client, 'tasks', taskUpsert(task, ownerId));
    if (contactId) await associate(client, 'tasks', taskId, 'contacts', contactId);
  } else {
    const contactId = await upsertContact(client, write.ticket.person);
    const ticketId = await upsertOne(client, 'tickets', ticketUpsert(write.ticket));
    if (contactId) await associate(client, 'tickets', ticketId, 'contacts', contactId);
  }
}

/** HubSpot's answer, without the request headers (they carry the token). */
function describe(e: unknown): string {
  const err = e as { code?: number; body?: unknown; message?: string };
  if (typeof err.code === 'number') {
    const body = typeof err.body === 'string' ? err.body : JSON.stringify(err.body ?? '');
    const said = (() => {
      try {
        return (typeof err.body === 'string' ? JSON.parse(err.body) : err.body)?.message as string | undefined;
      } catch {
        return undefined;
      }
    })();
    return `HubSpot answered ${err.code}: ${(said ?? body).slice(0, 500)}`;
  }
  return `HubSpot: ${err.message ?? String(e)}`;
}
