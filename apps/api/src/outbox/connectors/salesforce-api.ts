import type { Connection } from 'jsforce';
import { contactByEmail, contactUpsert, type SalesforceUpsert } from './salesforce-records';
import type { CrmPerson, SalesforceSecret } from '@handoff/nodes';

interface UpsertResult {
  id?: string;
  success?: boolean;
  errors?: unknown[];
}

export const errorCodeOf = (e: unknown): string | undefined => (e as { errorCode?: string }).errorCode;

/** A SOQL string literal. */
export const soql = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function send(conn: Connection, u: SalesforceUpsert, fields: SalesforceUpsert['fields']): Promise<UpsertResult> {
  // jsforce puts the key into the URL as it is; encoding it keeps e-mails and keys with ":" or "/" one path segment.
  return conn.sobject(u.object).upsert({ ...fields, [u.keyField]: encodeURIComponent(u.key) }, u.keyField);
}

/**
 * Upserts by External ID and answers the record id. The create-only fields go along only when
 * Salesforce refuses the first call for missing required fields, which only a create can miss
 * and which writes nothing; a record that exists is never given them again.
 */
export async function upsert(conn: Connection, u: SalesforceUpsert): Promise<string> {
  let res: UpsertResult;
  try {
    res = await send(conn, u, u.fields);
  } catch (e) {
    if (errorCodeOf(e) !== 'REQUIRED_FIELD_MISSING' || Object.keys(u.createFields).length === 0) throw e;
    res = await send(conn, u, { ...u.fields, ...u.createFields });
  }
  if (res.success === false) throw new Error(`the ${u.object} upsert failed: ${JSON.stringify(res.errors ?? res)}`);
  if (res.id) return res.id;
  // API versions before 46.0 answer an update with 204 and no id: read it back by the key.
  const found = await conn.query<{ Id: string }>(`SELECT Id FROM ${u.object} WHERE ${u.keyField} = ${soql(u.key)} LIMIT 1`);
  const id = found.records[0]?.Id;
  if (!id) throw new Error(`the ${u.object} upsert answered no id and none is found by ${u.keyField}`);
  return id;
}

/**
 * The person's Contact, upserted by customer id (else e-mail key); null when the run has neither.
 * DUPLICATE_VALUE means another Contact holds the e-mail key (made before the customer id was
 * known): that one is then upserted by the e-mail key and given the customer id.
 */
export async function upsertContact(conn: Connection, keys: SalesforceSecret, person: CrmPerson, extra: Record<string, string> = {}): Promise<string | null> {
  const u = contactUpsert(keys, person, extra);
  if (!u) return null;
  try {
    return await upsert(conn, u);
  } catch (e) {
    const fallback = errorCodeOf(e) === 'DUPLICATE_VALUE' ? contactByEmail(keys, person, extra) : null;
    if (!fallback) throw e;
    return upsert(conn, fallback);
  }
}

/** The active Salesforce user with this e-mail, or null: the task then belongs to the connection's user. */
export async function userIdByEmail(conn: Connection, email: string): Promise<string | null> {
  const res = await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Email = ${soql(email)} AND IsActive = true ORDER BY CreatedDate LIMIT 1`);
  return res.records[0]?.Id ?? null;
}
