import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSalesforce } from './fake-salesforce';

// Every test talks to the fake through jsforce, so what passes here is what the connector sees.
describe('FakeSalesforce through jsforce', () => {
  const sf = new FakeSalesforce();
  let conn: Connection;
  const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { errorCode?: string; message: string });

  beforeAll(async () => {
    await sf.start();
    conn = new Connection({ instanceUrl: sf.url, accessToken: '00Dxx!token', version: '60.0' });
  });
  afterAll(() => sf.stop());

  it('upserts by an External ID: the first call makes the record, the next one updates it', async () => {
    const made = await conn.sobject('Contact').upsert({ Stripe_Customer_Id__c: 'cus_1', LastName: 'Lovelace', Email: 'ada@example.com' }, 'Stripe_Customer_Id__c');
    const again = await conn.sobject('Contact').upsert({ Stripe_Customer_Id__c: 'cus_1', Email: 'ada@new.example.com' }, 'Stripe_Customer_Id__c');
    expect(made).toMatchObject({ success: true, created: true, id: expect.stringMatching(/^003/) });
    expect(again).toMatchObject({ success: true, created: false, id: made.id });
    expect(sf.find('Contact', 'Stripe_Customer_Id__c', 'cus_1')).toEqual([{ Id: made.id, fields: { Stripe_Customer_Id__c: 'cus_1', LastName: 'Lovelace', Email: 'ada@new.example.com' } }]);
  });

  it('refuses a create without the required fields and writes nothing', async () => {
    const e = await err(conn.sobject('Opportunity').upsert({ Stripe_Object_Id__c: 'cs_1', StageName: 'Closed Won' }, 'Stripe_Object_Id__c'));
    expect(e).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name, CloseDate]' });
    expect(sf.store.Opportunity).toEqual([]);
  });

  it('refuses a field that is not an External ID, a duplicate unique value, and a create-only field on update', async () => {
    expect(await err(conn.sobject('Contact').upsert({ Email: 'x@example.com', LastName: 'X' }, 'Email'))).toMatchObject({ errorCode: 'NOT_FOUND' });
    await conn.sobject('Contact').upsert({ Handoff_Email__c: 'bo@example.com', LastName: 'Bo' }, 'Handoff_Email__c');
    const dup = await err(conn.sobject('Contact').upsert({ Stripe_Customer_Id__c: 'cus_2', Handoff_Email__c: 'bo@example.com', LastName: 'Bo' }, 'Stripe_Customer_Id__c'));
    expect(dup).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    const contact = sf.find('Contact', 'Handoff_Email__c', 'bo@example.com')[0];
    const opp = { Stripe_Object_Id__c: 'cs_2', Name: 'N', StageName: 'S', CloseDate: '2026-01-05', ContactId: contact.Id };
    await conn.sobject('Opportunity').upsert(opp, 'Stripe_Object_Id__c');
    expect(await err(conn.sobject('Opportunity').upsert(opp, 'Stripe_Object_Id__c'))).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  });

  it('does the write and then drops the connection when told to lose the answer', async () => {
    sf.loseAnswer('PATCH /services/data/v60.0/sobjects/Task/');
    const task = { Handoff_Key__c: encodeURIComponent('run:1/task'), Subject: 'Call' };
    expect(await err(conn.sobject('Task').upsert(task, 'Handoff_Key__c'))).toBeInstanceOf(Error);
    expect(sf.find('Task', 'Handoff_Key__c', 'run:1/task')).toEqual([{ Id: expect.any(String), fields: { Status: 'Not Started', Priority: 'Normal', Subject: 'Call', Handoff_Key__c: 'run:1/task' } }]);
    expect(await conn.sobject('Task').upsert(task, 'Handoff_Key__c')).toMatchObject({ created: false });
    expect(sf.store.Task).toHaveLength(1);
  });

  it('answers SOQL for an active user by e-mail', async () => {
    sf.users = [{ Id: '005A', Email: 'Sam@Example.com', IsActive: true }, { Id: '005B', Email: 'old@example.com', IsActive: false }];
    const q = (email: string) => conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Email = '${email}' AND IsActive = true ORDER BY CreatedDate LIMIT 1`);
    expect((await q('sam@example.com')).records.map((r) => r.Id)).toEqual(['005A']);
    expect((await q('old@example.com')).records).toEqual([]);
  });
});
