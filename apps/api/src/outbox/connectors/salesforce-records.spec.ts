import { describe, expect, it } from 'vitest';
import { salesforceSecret } from '@handoff/nodes';
import { contactByEmail, contactUpsert, opportunityUpsert, taskUpsert } from './salesforce-records';

const keys = salesforceSecret.parse({ instanceUrl: 'https://acme.my.salesforce.com', accessToken: 't' });

describe('Salesforce upserts', () => {
  it('keys a Contact by the customer id field, writing the e-mail key too, and names it only when it is new', () => {
    expect(contactUpsert(keys, { customerId: 'cus_1', email: 'Ada@Example.com', name: 'Ada King Lovelace' }, { Plan__c: 'pro', Old__c: '' })).toEqual({
      object: 'Contact',
      keyField: 'Stripe_Customer_Id__c',
      key: 'cus_1',
      fields: { Email: 'Ada@Example.com', Handoff_Email__c: 'ada@example.com', Plan__c: 'pro', Old__c: null },
      createFields: { FirstName: 'Ada', LastName: 'King Lovelace' },
    });
  });

  it('keys a Contact by the lower-case e-mail without a customer id, with a last name it can be made with', () => {
    expect(contactUpsert(keys, { customerId: null, email: 'Ada@Example.com', name: null })).toEqual({
      object: 'Contact',
      keyField: 'Handoff_Email__c',
      key: 'ada@example.com',
      fields: { Email: 'Ada@Example.com' },
      createFields: { LastName: 'Ada@Example.com' },
    });
    expect(contactUpsert(keys, { customerId: null, email: null, name: 'Ada' })).toBeNull();
  });

  it('adopts the Contact holding the e-mail by giving it the customer id', () => {
    expect(contactByEmail(keys, { customerId: 'cus_1', email: 'ada@example.com', name: 'Ada' })).toEqual({
      object: 'Contact',
      keyField: 'Handoff_Email__c',
      key: 'ada@example.com',
      fields: { Email: 'ada@example.com', Stripe_Customer_Id__c: 'cus_1' },
      createFields: { LastName: 'Ada' },
    });
  });

  it('keys an Opportunity by the Stripe object id; name, close date and contact only when it is new', () => {
    const u = opportunityUpsert(keys, { connection: 'salesforce', objectId: 'cs_1', stage: 'Closed Won', amount: 1999, currency: 'usd', name: 'Ada', product: 'Website' }, '003X', '2026-01-05');
    expect(u).toEqual({
      object: 'Opportunity',
      keyField: 'Stripe_Object_Id__c',
      key: 'cs_1',
      fields: { StageName: 'Closed Won', Amount: 19.99 },
      createFields: { Name: 'Website – Ada', CloseDate: '2026-01-05', ContactId: '003X' },
    });
  });

  it('keys a Task by the step’s key with its due date, contact and owner', () => {
    const u = taskUpsert({ ...keys, taskKeyField: 'Key__c' }, { title: 'Call Ada', assignee: 's@example.com', dueAt: '2026-01-06T09:00:00.000Z', dealId: null, key: 'k1', body: 'b' }, '003X', '005Y');
    expect(u).toEqual({ object: 'Task', keyField: 'Key__c', key: 'k1', fields: { Subject: 'Call Ada', Description: 'b', ActivityDate: '2026-01-06', WhoId: '003X', OwnerId: '005Y' }, createFields: {} });
  });
});
