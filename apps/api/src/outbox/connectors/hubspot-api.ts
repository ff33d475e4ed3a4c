import type { Client } from '@hubspot/api-client';
import type { CrmPerson } from '@handoff/nodes';
import { contactByEmail, contactUpsert, type HubSpotUpsert } from './hubspot-records';

export type HubSpotObject = 'contacts' | 'deals' | 'tasks' | 'tickets';

const batchApis = {
  contacts: (c: Client) => c.crm.contacts.batchApi,
  deals: (c: Client) => c.crm.deals.batchApi,
  tasks: (c: Client) => c.crm.objects.tasks.batchApi,
  tickets: (c: Client) => c.crm.tickets.batchApi,
};

/**
 * `POST /crm/v3/objects/<object>/batch/upsert` with one input: HubSpot finds the record by the
 * unique property at once (no search index involved) and updates it, or makes it. Repeating the
 * call after a lost answer lands on the same record. Answers the record's id.
 */
export async function upsertOne(client: Client, object: HubSpotObject, input: HubSpotUpsert): Promise<string> {
  const res = await batchApis[object](client).upsert({ inputs: [input] });
  if ('errors' in res && res.errors?.length) throw new Error(`HubSpot refused the ${object} upsert: ${res.errors.map((e) => e.message).join('; ')}`);
  const id = res.results[0]?.id;
  if (!id) throw new Error(`HubSpot answered the ${object} upsert without a record`);
  return id;
}

/**
 * The person's contact, upserted by Stripe customer id (else e-mail); null when the run has neither.
 * HubSpot answers 409 when the contact would take an e-mail another contact has (one made before the
 * customer id was known): that contact is then upserted by e-mail and given the customer id.
 */
export async function upsertContact(client: Client, person: CrmPerson, extra: Record<string, string> = {}): Promise<string | null> {
  const input = contactUpsert(person, extra);
  if (!input) return null;
  try {
    return await upsertOne(client, 'contacts', input);
  } catch (e) {
    const fallback = (e as { code?: number }).code === 409 ? contactByEmail(person, extra) : null;
    if (!fallback) throw e;
    return upsertOne(client, 'contacts', fallback);
  }
}

/** `PUT /crm/v4/objects/<from>/<id>/associations/default/<to>/<id>`: HubSpot's default association, idempotent. */
export async function associate(client: Client, from: HubSpotObject, fromId: string, to: HubSpotObject, toId: string): Promise<void> {
  await client.crm.associations.v4.basicApi.createDefault(from, fromId, to, toId);
}

/** The HubSpot user (owner) with this e-mail, or null: the task is then left unassigned. */
export async function ownerIdByEmail(client: Client, email: string): Promise<string | null> {
  const page = await client.crm.owners.ownersApi.getPage(email, undefined, 1);
  return page.results.find((o) => o.email?.toLowerCase() === email.toLowerCase())?.id ?? null;
}
