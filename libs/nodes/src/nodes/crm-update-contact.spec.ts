import { describe, expect, it } from 'vitest';
import { runNode } from '../testing/run-node';
import { crmUpdateContact } from './crm-update-contact';

const trigger = { payment: { customerId: 'cus_1', email: 'ada@example.com', name: 'Ada' }, status: 'active' };

describe('crm.updateContact', () => {
  it('sets the rendered properties on the built-in CRM contact by default', async () => {
    const { effects } = await runNode(crmUpdateContact, { properties: { subscription_status: '{{ trigger.status }}', plan: '' } }, { trigger });
    expect(effects.contacts).toEqual([{ connection: 'builtin', credential: undefined, customerId: 'cus_1', email: 'ada@example.com', name: 'Ada', properties: { subscription_status: 'active', plan: '' } }]);
  });

  it('passes the connection and credential for HubSpot and Salesforce', async () => {
    const config = { connection: 'salesforce', credential: { credential: 'cred_sf' }, properties: { Subscription_Status__c: '{{ trigger.status }}' } };
    const { effects } = await runNode(crmUpdateContact, config, { trigger });
    expect(effects.contacts[0]).toMatchObject({ connection: 'salesforce', credential: 'cred_sf', properties: { Subscription_Status__c: 'active' } });
    expect(crmUpdateContact.config.safeParse({ connection: 'hubspot' }).error?.issues).toEqual([expect.objectContaining({ path: ['credential'], message: 'is required to reach HubSpot' })]);
  });
});
