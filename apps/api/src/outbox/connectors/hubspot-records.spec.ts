import { describe, expect, it } from 'vitest';
import { contactByEmail, contactUpsert, dealUpsert, taskUpsert, ticketUpsert } from './hubspot-records';

describe('HubSpot upsert inputs', () => {
  it('keys a contact by stripe_customer_id, and by email when there is no customer id', () => {
    expect(contactUpsert({ customerId: 'cus_1', email: 'ada@example.com', name: 'Ada King Lovelace' })).toEqual({
      idProperty: 'stripe_customer_id',
      id: 'cus_1',
      properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'King Lovelace' },
    });
    expect(contactUpsert({ customerId: null, email: 'Ada@Example.com', name: 'Ada' }, { plan: 'pro' })).toEqual({ idProperty: 'email', id: 'ada@example.com', properties: { firstname: 'Ada', plan: 'pro' } });
    expect(contactUpsert({ customerId: null, email: null, name: 'Ada' })).toBeNull();
  });

  it('falls back to the e-mail key carrying the customer id, only when there are both', () => {
    expect(contactByEmail({ customerId: 'cus_1', email: 'ada@example.com', name: null })).toEqual({ idProperty: 'email', id: 'ada@example.com', properties: { stripe_customer_id: 'cus_1' } });
    expect(contactByEmail({ customerId: null, email: 'ada@example.com', name: null })).toBeNull();
  });

  it('keys a deal by stripe_object_id with the amount in major units and the step’s fields last', () => {
    const input = dealUpsert({ connection: 'hubspot', objectId: 'cs_1', stage: 'closedwon', amount: 250000, currency: 'usd', customerId: 'cus_1', product: 'Website', name: 'Ada', fields: { pipeline: 'sales' } });
    expect(input).toEqual({
      idProperty: 'stripe_object_id',
      id: 'cs_1',
      properties: { dealname: 'Website – Ada', dealstage: 'closedwon', amount: '2500.00', deal_currency_code: 'USD', stripe_customer_id: 'cus_1', pipeline: 'sales' },
    });
  });

  it('keys tasks and tickets by the step’s key, leaving a task’s status to HubSpot', () => {
    const task = taskUpsert({ title: 'Call Ada', assignee: 'sam@example.com', dueAt: '2026-01-06T09:00:00.000Z', dealId: null, key: 'k1', body: 'from a flow' }, '77');
    expect(task).toEqual({ idProperty: 'handoff_task_key', id: 'k1', properties: { hs_task_subject: 'Call Ada', hs_task_body: 'from a flow', hs_timestamp: '2026-01-06T09:00:00.000Z', hubspot_owner_id: '77' } });
    const ticket = ticketUpsert({ connection: 'hubspot', credential: 'c', key: 'k2', subject: 'Failed', content: 'Declined', priority: 'HIGH', pipeline: '0', stage: '1', person: { customerId: null, email: null, name: null } });
    expect(ticket).toEqual({ idProperty: 'handoff_ticket_key', id: 'k2', properties: { subject: 'Failed', content: 'Declined', hs_ticket_priority: 'HIGH', hs_pipeline: '0', hs_pipeline_stage: '1' } });
  });
});
