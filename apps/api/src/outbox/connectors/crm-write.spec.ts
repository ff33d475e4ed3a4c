import { describe, expect, it } from 'vitest';
import { crmWriteMessage, crmWriteOf, queuedWrite, upsertKeyOf, type CrmWrite } from './crm-write';

const deal: CrmWrite = { deal: { connection: 'hubspot', stage: 'closedwon', objectId: 'cs_1', email: 'ada@example.com', amount: 1200, currency: 'usd' } };
const task: CrmWrite = { task: { connection: 'salesforce', title: 'Call Ada', assignee: 'sam@example.com', dueAt: '2026-01-06T09:00:00.000Z', dealId: null, key: 'run_1:task' } };
const ticket: CrmWrite = {
  ticket: { connection: 'hubspot', credential: 'c', key: 'in_1:2:ticket', subject: 'Payment failed', content: '', priority: 'HIGH', pipeline: '0', stage: '1', person: { customerId: 'cus_1', email: null, name: null } },
};
const contact: CrmWrite = { contact: { connection: 'hubspot', customerId: null, email: 'ada@example.com', name: null, properties: { plan: 'pro' } } };

describe('CRM writes in the outbox', () => {
  it('keys each kind of record by its upsert key', () => {
    expect([deal, task, ticket, contact].map(upsertKeyOf)).toEqual(['cs_1', 'run_1:task', 'in_1:2:ticket', 'ada@example.com']);
    expect(queuedWrite('hubspot', 'out_1', task)).toEqual({ connection: 'hubspot', queued: true, outboxId: 'out_1', key: 'run_1:task' });
  });

  it('describes the write for the outbox list and carries it as the payload', () => {
    expect(crmWriteMessage('hubspot', 'cred', deal)).toEqual({
      channel: 'hubspot',
      credential: 'cred',
      recipient: 'ada@example.com',
      subject: 'HubSpot deal cs_1 → closedwon',
      body: 'Set the HubSpot deal for ada@example.com (cs_1) to closedwon, amount 1200 usd',
      payload: deal,
    });
    expect(crmWriteMessage('salesforce', 'cred', task)).toMatchObject({ recipient: 'sam@example.com', subject: 'Salesforce task run_1:task', body: 'Task for sam@example.com: Call Ada (due 2026-01-06T09:00:00.000Z)' });
    expect(crmWriteMessage('hubspot', 'cred', contact)).toMatchObject({ subject: 'HubSpot contact ada@example.com', body: 'Set plan on the HubSpot contact ada@example.com' });
  });

  it('reads back what a message carries, including deals queued before tasks and tickets existed', () => {
    for (const w of [deal, task, ticket, contact]) expect(crmWriteOf({ payload: w })).toEqual(w);
  });

  it('refuses a payload it cannot key', () => {
    expect(() => crmWriteOf({ payload: {} })).toThrow('carries no deal, contact, task or ticket');
    expect(() => crmWriteOf({ payload: { deal: { stage: 'x' } } })).toThrow('no Stripe object id');
    expect(() => crmWriteOf({ payload: { task: { title: 'x' } } })).toThrow('no key');
    expect(() => crmWriteOf({ payload: { contact: { properties: {} } } })).toThrow('neither a Stripe customer id nor an e-mail');
  });
});
