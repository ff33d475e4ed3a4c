import { HUBSPOT_KEYS, type CrmDealInput, type CrmPerson, type CrmTaskInput, type CrmTicketInput } from '@handoff/nodes';
import { dealName, majorUnits, splitName } from './crm-deal-payload';

/** One input of a HubSpot CRM v3 batch upsert: the record whose `idProperty` equals `id` is updated, or made. */
export interface HubSpotUpsert {
  idProperty: string;
  id: string;
  properties: Record<string, string>;
}

/**
 * The contact of a person: keyed by `stripe_customer_id` when there is one, else by `email` (unique
 * in HubSpot); null when there is neither. `extra` are the properties a crm.updateContact step sets.
 */
export function contactUpsert(person: CrmPerson, extra: Record<string, string> = {}): HubSpotUpsert | null {
  // HubSpot keeps e-mails in lower case and matches them whatever the case; so do we.
  const email = person.email?.toLowerCase() ?? null;
  const properties: Record<string, string> = {};
  if (email) properties.email = email;
  if (person.customerId) properties[HUBSPOT_KEYS.contact] = person.customerId;
  const { first, last } = splitName(person.name);
  if (first) properties.firstname = first;
  if (last) properties.lastname = last;
  Object.assign(properties, extra);
  if (person.customerId) return { idProperty: HUBSPOT_KEYS.contact, id: person.customerId, properties: without(properties, HUBSPOT_KEYS.contact) };
  if (email) return { idProperty: 'email', id: email, properties: without(properties, 'email') };
  return null;
}

/**
 * The same contact keyed by e-mail, carrying the customer id: used when the customer-id upsert is
 * refused because a contact with that e-mail exists (made before the customer id was known).
 */
export function contactByEmail(person: CrmPerson, extra: Record<string, string> = {}): HubSpotUpsert | null {
  if (!person.email || !person.customerId) return null;
  const byId = contactUpsert(person, extra)!;
  return { idProperty: 'email', id: person.email.toLowerCase(), properties: { [HUBSPOT_KEYS.contact]: person.customerId, ...without(byId.properties, 'email') } };
}

/** The deal of a Stripe object: name, stage, amount (decimal, from minor units) and the step's extra fields. */
export function dealUpsert(deal: CrmDealInput & { objectId: string }): HubSpotUpsert {
  const properties: Record<string, string> = { dealname: dealName(deal) };
  if (deal.stage) properties.dealstage = deal.stage;
  if (deal.amount !== null && deal.amount !== undefined) properties.amount = majorUnits(deal.amount, deal.currency);
  if (deal.currency) properties.deal_currency_code = deal.currency.toUpperCase();
  if (deal.customerId) properties[HUBSPOT_KEYS.contact] = deal.customerId;
  Object.assign(properties, deal.fields ?? {});
  return { idProperty: HUBSPOT_KEYS.deal, id: deal.objectId, properties };
}

/** The task of a step. Its status is left to HubSpot (new tasks start "not started"), so a retry never reopens a done task. */
export function taskUpsert(task: CrmTaskInput & { key: string }, ownerId: string | null): HubSpotUpsert {
  const properties: Record<string, string> = { hs_task_subject: task.title, hs_task_body: task.body ?? '', hs_timestamp: task.dueAt ?? new Date().toISOString() };
  if (ownerId) properties.hubspot_owner_id = ownerId;
  return { idProperty: HUBSPOT_KEYS.task, id: task.key, properties };
}

export function ticketUpsert(ticket: CrmTicketInput): HubSpotUpsert {
  return {
    idProperty: HUBSPOT_KEYS.ticket,
    id: ticket.key,
    properties: { subject: ticket.subject, content: ticket.content, hs_ticket_priority: ticket.priority, hs_pipeline: ticket.pipeline, hs_pipeline_stage: ticket.stage },
  };
}

function without(properties: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _dropped, ...rest } = properties;
  return rest;
}
