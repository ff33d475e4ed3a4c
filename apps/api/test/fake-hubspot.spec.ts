import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHubSpot } from './fake-hubspot';

// Every test talks to the fake through the official client, so what passes here is what the connector sees.
describe('FakeHubSpot through @hubspot/api-client', () => {
  const hubspot = new FakeHubSpot({ searchLagMs: 400 });
  let client: Client;
  const searchDeals = async (value: string) =>
    (await client.crm.deals.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'stripe_object_id', operator: FilterOperatorEnum.Eq, value }] }], limit: 1 })).results;
  const upsertDeal = (id: string, properties: Record<string, string>) => client.crm.deals.batchApi.upsert({ inputs: [{ idProperty: 'stripe_object_id', id, properties }] });

  beforeAll(async () => {
    await hubspot.start();
    client = new Client({ accessToken: 'pat-test-123', basePath: hubspot.url, numberOfApiCallRetries: 0 });
  });
  afterAll(() => hubspot.stop());

  it('upserts by a unique property: the first call makes the record, the next one updates it', async () => {
    const made = await upsertDeal('cs_1', { dealname: 'Website', dealstage: 'appointmentscheduled' });
    const again = await upsertDeal('cs_1', { dealstage: 'closedwon' });
    expect(made.results[0]).toMatchObject({ _new: true, properties: { stripe_object_id: 'cs_1', dealstage: 'appointmentscheduled' } });
    expect(again.results[0]).toMatchObject({ _new: false, id: made.results[0].id, properties: { dealname: 'Website', dealstage: 'closedwon' } });
    expect(hubspot.find('deals', 'stripe_object_id', 'cs_1')).toHaveLength(1);
  });

  it('hides a fresh write from search for a while, but an upsert finds it at once', async () => {
    const { results } = await upsertDeal('cs_lag', { dealname: 'Lag', dealstage: 'closedwon' });
    expect(await searchDeals('cs_lag')).toEqual([]);
    expect((await upsertDeal('cs_lag', { amount: '10.00' })).results[0].id).toBe(results[0].id);
    await new Promise((r) => setTimeout(r, 450));
    expect((await searchDeals('cs_lag')).map((d) => d.id)).toEqual([results[0].id]);
  });

  it('refuses to upsert by a property without "unique value", and a second contact with an e-mail in use', async () => {
    const notUnique = await client.crm.deals.batchApi.upsert({ inputs: [{ idProperty: 'dealname', id: 'x', properties: { dealstage: 's' } }] }).catch((e: unknown) => e);
    expect(notUnique).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    const ada = await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'email', id: 'Ada@Example.com', properties: { firstname: 'Ada' } }] });
    const clash = await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'stripe_customer_id', id: 'cus_1', properties: { email: 'ada@example.com' } }] }).catch((e: unknown) => e);
    expect(clash).toMatchObject({ code: 409, body: { category: 'CONFLICT', message: `Contact already exists. Existing ID: ${ada.results[0].id}` } });
    expect(hubspot.find('contacts', 'email', 'ADA@example.com')).toHaveLength(1);
  });

  it('refuses to make a ticket or task without what HubSpot requires', async () => {
    const err = await client.crm.tickets.batchApi.upsert({ inputs: [{ idProperty: 'handoff_ticket_key', id: 'k', properties: { subject: 'x' } }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 400, body: { message: expect.stringMatching(/hs_pipeline_stage/) } });
    expect(hubspot.records.tickets).toEqual([]);
  });

  it('does the write and then drops the connection when told to lose the answer', async () => {
    hubspot.loseAnswer('POST /crm/v3/objects/tasks/batch/upsert');
    const lost = await client.crm.objects.tasks.batchApi.upsert({ inputs: [{ idProperty: 'handoff_task_key', id: 'run:t', properties: { hs_timestamp: '2026-01-06T09:00:00.000Z', hs_task_subject: 'Call' } }] }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(Error);
    expect(hubspot.find('tasks', 'handoff_task_key', 'run:t')).toHaveLength(1);
    const retried = await client.crm.objects.tasks.batchApi.upsert({ inputs: [{ idProperty: 'handoff_task_key', id: 'run:t', properties: { hs_task_subject: 'Call' } }] });
    expect(retried.results[0]._new).toBe(false);
    expect(hubspot.find('tasks', 'handoff_task_key', 'run:t')).toHaveLength(1);
  });

  it('links records with an idempotent default association, and finds owners by e-mail', async () => {
    hubspot.owners = [{ id: '77', email: 'sam@example.com', firstName: 'Sam', lastName: 'Ops' }];
    const deal = (await upsertDeal('cs_assoc', { dealname: 'A', dealstage: 'closedwon' })).results[0].id;
    const contact = (await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'stripe_customer_id', id: 'cus_assoc', properties: {} }] })).results[0].id;
    await client.crm.associations.v4.basicApi.createDefault('deals', deal, 'contacts', contact);
    await client.crm.associations.v4.basicApi.createDefault('deals', deal, 'contacts', contact);
    expect(hubspot.associations.filter((a) => a.fromId === deal)).toEqual([{ from: 'deals', fromId: deal, to: 'contacts', toId: contact, typeId: 3 }]);
    expect((await client.crm.owners.ownersApi.getPage('sam@example.com', undefined, 1)).results.map((o) => o.id)).toEqual(['77']);
    expect((await client.crm.owners.ownersApi.getPage('nobody@example.com', undefined, 1)).results).toEqual([]);
  });

  it('answers 401 to another token', async () => {
    const other = new Client({ accessToken: 'pat-wrong', basePath: hubspot.url, numberOfApiCallRetries: 0 });
    await expect(other.crm.deals.batchApi.upsert({ inputs: [] })).rejects.toMatchObject({ code: 401 });
  });
});
