import type { CrmDealInput, CrmPerson, CrmTaskInput, SalesforceSecret } from '@handoff/nodes';
import { dealName, majorUnits, splitName } from './crm-deal-payload';

type Fields = Record<string, string | number | null>;

/** One upsert by External ID: `PATCH /sobjects/<object>/<keyField>/<key>`. */
export interface SalesforceUpsert {
  object: 'Contact' | 'Opportunity' | 'Task';
  keyField: string;
  key: string;
  /** Sent on every write. */
  fields: Fields;
  /**
   * Sent only when Salesforce answers that the record is new (REQUIRED_FIELD_MISSING): what a
   * create needs and people own afterwards (a contact's name, an opportunity's name and close date).
   */
  createFields: Fields;
}

type Keys = Pick<SalesforceSecret, 'contactKeyField' | 'emailKeyField' | 'opportunityKeyField' | 'taskKeyField'>;

/** A step's property values as Salesforce fields: an empty value clears the field. */
function cleared(extra: Record<string, string>): Fields {
  return Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v === '' ? null : v]));
}

function contactCreateFields(person: CrmPerson): Fields {
  const { first, last } = splitName(person.name);
  // LastName is the one field a Contact cannot be made without.
  const lastName = last ?? first ?? person.email ?? person.customerId ?? 'Stripe customer';
  return first && last ? { FirstName: first, LastName: lastName } : { LastName: lastName };
}

/**
 * The person's Contact: by the Stripe customer id field when there is one, else by the e-mail key
 * field (the lower-case e-mail; Salesforce upserts only by External ID fields, and Email is not
 * one). Null when the run has neither. The e-mail key is written on every Contact, so a later
 * payment without a customer id finds the same one.
 */
export function contactUpsert(keys: Keys, person: CrmPerson, extra: Record<string, string> = {}): SalesforceUpsert | null {
  const email = person.email?.toLowerCase() ?? null;
  const fields: Fields = {};
  if (person.email) fields.Email = person.email;
  if (email && person.customerId) fields[keys.emailKeyField] = email;
  Object.assign(fields, cleared(extra));
  const createFields = contactCreateFields(person);
  if (person.customerId) return { object: 'Contact', keyField: keys.contactKeyField, key: person.customerId, fields, createFields };
  if (email) return { object: 'Contact', keyField: keys.emailKeyField, key: email, fields, createFields };
  return null;
}

/**
 * The same Contact found by its e-mail key, given the customer id: used when the customer-id upsert
 * is refused (DUPLICATE_VALUE) because a Contact made before the customer id was known holds the e-mail.
 */
export function contactByEmail(keys: Keys, person: CrmPerson, extra: Record<string, string> = {}): SalesforceUpsert | null {
  if (!person.email || !person.customerId) return null;
  const byId = contactUpsert(keys, person, extra)!;
  const { [keys.emailKeyField]: _key, ...fields } = byId.fields;
  return { ...byId, keyField: keys.emailKeyField, key: person.email.toLowerCase(), fields: { ...fields, [keys.contactKeyField]: person.customerId } };
}

/** The Opportunity of a Stripe object; a new one gets a name, today's close date and the contact as its primary contact. */
export function opportunityUpsert(keys: Keys, deal: CrmDealInput & { objectId: string }, contactId: string | null, today: string): SalesforceUpsert {
  const fields: Fields = {};
  if (deal.stage) fields.StageName = deal.stage;
  if (deal.amount !== null && deal.amount !== undefined) fields.Amount = Number(majorUnits(deal.amount, deal.currency));
  Object.assign(fields, deal.fields ?? {});
  const createFields: Fields = { Name: dealName(deal), CloseDate: today };
  // ContactId can only be set when the Opportunity is made.
  if (contactId) createFields.ContactId = contactId;
  return { object: 'Opportunity', keyField: keys.opportunityKeyField, key: deal.objectId, fields, createFields };
}

/** The Task of a step. Status and priority are left to Salesforce's defaults, so a retry never reopens a done task. */
export function taskUpsert(keys: Keys, task: CrmTaskInput & { key: string }, whoId: string | null, ownerId: string | null): SalesforceUpsert {
  const fields: Fields = { Subject: task.title.slice(0, 255), Description: task.body ?? '' };
  if (task.dueAt) fields.ActivityDate = task.dueAt.slice(0, 10);
  if (whoId) fields.WhoId = whoId;
  if (ownerId) fields.OwnerId = ownerId;
  return { object: 'Task', keyField: keys.taskKeyField, key: task.key, fields, createFields: {} };
}
