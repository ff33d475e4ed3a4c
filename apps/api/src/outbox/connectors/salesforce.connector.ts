import { Connection } from 'jsforce';
import type { CrmDealInput } from '@handoff/nodes';
import type { Connector } from './connector';
import { dealName, dealOf, majorUnits } from './crm-deal-payload';

interface SalesforceSecret {
  instanceUrl: string;
  accessToken: string;
  apiVersion?: string;
}

interface SaveResult {
  id?: string;
  success?: boolean;
  errors?: unknown[];
}

/** A SOQL string literal. */
const soql = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Salesforce through jsforce (REST). The Stripe ids live in custom fields: the Account's
 * `Stripe_Customer_Id__c`, the Opportunity's `Stripe_Object_Id__c`. Each record is queried
 * first (SOQL reads are consistent with earlier writes), then created or updated in a separate
 * call, so a retried delivery, even after a lost answer to a create, updates instead of
 * creating a duplicate. See docs/connectors.md.
 */
export const salesforceConnector: Connector = async (message, secret) => {
  const sf = secret as SalesforceSecret;
  if (!sf?.instanceUrl || !sf.accessToken) throw new Error('The Salesforce credential needs an instanceUrl and an accessToken');
  const deal = dealOf(message);
  const conn = new Connection({ instanceUrl: sf.instanceUrl.replace(/\/+$/, ''), accessToken: sf.accessToken, version: sf.apiVersion ?? '60.0' });
  try {
    const accountId = await upsertAccount(conn, deal);
    await upsertOpportunity(conn, deal, accountId);
  } catch (e) {
    const err = e as { errorCode?: string; message?: string };
    throw new Error(`Salesforce: ${err.errorCode ? `${err.errorCode}: ` : ''}${(err.message ?? String(e)).slice(0, 500)}`, { cause: e });
  }
};

async function findId(conn: Connection, query: string): Promise<string | null> {
  const res = await conn.query<{ Id: string }>(query);
  return res.records[0]?.Id ?? null;
}

function created(what: string, res: SaveResult | SaveResult[]): string {
  const r = Array.isArray(res) ? res[0] : res;
  if (!r?.success || !r.id) throw new Error(`creating the ${what} failed: ${JSON.stringify(r?.errors ?? r)}`);
  return r.id;
}

/** The Account of the Stripe customer; without a customer id, the Account named after the client. */
async function upsertAccount(conn: Connection, deal: CrmDealInput): Promise<string> {
  const name = deal.name ?? deal.email ?? deal.customerId ?? 'Stripe customer';
  const where = deal.customerId ? `Stripe_Customer_Id__c = ${soql(deal.customerId)}` : `Name = ${soql(name)}`;
  const found = await findId(conn, `SELECT Id FROM Account WHERE ${where} ORDER BY CreatedDate LIMIT 1`);
  // An existing Account belongs to sales now: its name is not overwritten.
  if (found) return found;
  const account: Record<string, string> = { Name: name };
  if (deal.customerId) account.Stripe_Customer_Id__c = deal.customerId;
  return created('Account', await conn.sobject('Account').create(account));
}

async function upsertOpportunity(conn: Connection, deal: CrmDealInput & { objectId: string }, accountId: string): Promise<void> {
  const fields: Record<string, string | number> = { StageName: deal.stage, ...(deal.fields ?? {}) };
  if (deal.amount !== null && deal.amount !== undefined) fields.Amount = Number(majorUnits(deal.amount, deal.currency));
  const found = await findId(conn, `SELECT Id FROM Opportunity WHERE Stripe_Object_Id__c = ${soql(deal.objectId)} ORDER BY CreatedDate LIMIT 1`);
  if (found) {
    await conn.sobject('Opportunity').update({ Id: found, ...fields });
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  created('Opportunity', await conn.sobject('Opportunity').create({ Name: dealName(deal), CloseDate: today, AccountId: accountId, Stripe_Object_Id__c: deal.objectId, ...fields }));
}
