import { z } from 'zod';
import { defineProvider } from './provider';

// An sObject field's API name, e.g. Stripe_Customer_Id__c.
const fieldName = (fallback: string, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a field API name such as Stripe_Customer_Id__c')
    .default(fallback)
    .describe(`External ID field ${what}`);

/**
 * Salesforce. Every write is an upsert by an External ID field (`PATCH /sobjects/<Object>/<field>/<value>`),
 * so a retry lands on the record an earlier attempt made. The field names default to the ones
 * docs/connectors.md tells an admin to create, and can be changed per credential.
 */
export const salesforceSecret = z.object({
  instanceUrl: z.url(),
  accessToken: z.string().min(1),
  apiVersion: z.string().default('60.0'),
  contactKeyField: fieldName('Stripe_Customer_Id__c', 'on Contact holding the Stripe customer id'),
  emailKeyField: fieldName('Handoff_Email__c', 'on Contact holding the lower-case e-mail (the key when there is no customer id)'),
  opportunityKeyField: fieldName('Stripe_Object_Id__c', 'on Opportunity holding the Stripe object id'),
  taskKeyField: fieldName('Handoff_Key__c', 'on Task holding the step’s idempotency key'),
});

export type SalesforceSecret = z.infer<typeof salesforceSecret>;

export const salesforceProvider = defineProvider({
  id: 'salesforce',
  label: 'Salesforce',
  can: ['deals', 'contacts', 'tasks'],
  credentials: [{ type: 'salesforce', label: 'Salesforce connection', hint: 'Instance URL and an access token; the External ID field names default to those in docs/connectors.md', secret: salesforceSecret }],
  outbox: true,
});
