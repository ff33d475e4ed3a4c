import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals';
import type { CrmDealInput } from '@handoff/nodes';
import type { Connector } from './connector';
import { dealName, dealOf, majorUnits } from './crm-deal-payload';

interface HubSpotSecret {
  accessToken: string;
  /** Another API host (a proxy, or a local fake in tests); default https://api.hubapi.com. */
  baseUrl?: string;
}

interface Found {
  id: string;
}

// HubSpot's own association type "deal → contact".
const DEAL_TO_CONTACT = 3;

/**
 * HubSpot through the official client. Search before create, so a retried delivery finds what
 * an earlier attempt made: the contact by the custom property `stripe_customer_id`, then by
 * e-mail (HubSpot refuses a second contact with the same e-mail); the deal by the custom
 * property `stripe_object_id`. At-least-once: HubSpot's search index lags a few seconds behind
 * writes, so an attempt racing a create it cannot see yet could make a second deal; the
 * outbox's backoff keeps retries outside that window. See docs/connectors.md.
 */
export const hubspotConnector: Connector = async (message, secret) => {
  const hs = secret as HubSpotSecret;
  if (!hs?.accessToken) throw new Error('The HubSpot credential holds no access token');
  const deal = dealOf(message);
  // Retries are the outbox's job (recorded per attempt); the client must not retry on its own.
  const client = new Client({ accessToken: hs.accessToken, basePath: hs.baseUrl?.replace(/\/+$/, ''), numberOfApiCallRetries: 0 });
  try {
    const contactId = await upsertContact(client, deal);
    await upsertDeal(client, deal, contactId);
  } catch (e) {
    throw new Error(describe(e), { cause: e });
  }
};

async function search(client: Client, object: 'contacts' | 'deals', propertyName: string, value: string): Promise<Found | null> {
  const api = object === 'contacts' ? client.crm.contacts.searchApi : client.crm.deals.searchApi;
  const res = await api.doSearch({ filterGroups: [{ filters: [{ propertyName, operator: FilterOperatorEnum.Eq, value }] }], properties: [propertyName], limit: 1 });
  return res.results[0] ?? null;
}

async function upsertContact(client: Client, deal: CrmDealInput): Promise<string> {
  const found = (deal.customerId ? await search(client, 'contacts', 'stripe_customer_id', deal.customerId) : null) ?? (deal.email ? await search(client, 'contacts', 'email', deal.email) : null);
  const properties: Record<string, string> = {};
  if (deal.email) properties.email = deal.email;
  if (deal.customerId) properties.stripe_customer_id = deal.customerId;
  if (deal.name) {
    const [first, ...rest] = deal.name.trim().split(/\s+/);
    properties.firstname = first;
    if (rest.length) properties.lastname = rest.join(' ');
  }
  if (found) {
    await client.crm.contacts.basicApi.update(found.id, { properties });
    return found.id;
  }
  try {
    return (await client.crm.contacts.basicApi.create({ properties, associations: [] })).id;
  } catch (e) {
    // Made meanwhile (or not yet searchable): HubSpot names the existing contact in its 409.
    const existing = (e as { code?: number }).code === 409 ? /Existing ID: (\d+)/.exec(describe(e))?.[1] : undefined;
    if (!existing) throw e;
    await client.crm.contacts.basicApi.update(existing, { properties });
    return existing;
  }
}

async function upsertDeal(client: Client, deal: CrmDealInput & { objectId: string }, contactId: string): Promise<void> {
  const properties: Record<string, string> = { dealname: dealName(deal), dealstage: deal.stage, stripe_object_id: deal.objectId };
  if (deal.amount !== null && deal.amount !== undefined) properties.amount = majorUnits(deal.amount, deal.currency);
  if (deal.currency) properties.deal_currency_code = deal.currency.toUpperCase();
  if (deal.customerId) properties.stripe_customer_id = deal.customerId;
  Object.assign(properties, deal.fields ?? {});
  const found = await search(client, 'deals', 'stripe_object_id', deal.objectId);
  if (found) {
    await client.crm.deals.basicApi.update(found.id, { properties });
    return;
  }
  await client.crm.deals.basicApi.create({
    properties: { pipeline: 'default', ...properties },
    associations: [{ to: { id: contactId }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: DEAL_TO_CONTACT }] }],
  });
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
