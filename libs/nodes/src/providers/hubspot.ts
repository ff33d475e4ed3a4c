import { z } from 'zod';
import { defineProvider } from './provider';

/**
 * HubSpot CRM. Every write is an upsert on a property with "unique value" switched on, so a retry
 * lands on the record an earlier attempt made. The property names are fixed; docs/connectors.md
 * says how to create them once in the HubSpot account.
 */
export const HUBSPOT_KEYS = {
  /** Contacts, when the run has a Stripe customer id; otherwise contacts are keyed by `email`. */
  contact: 'stripe_customer_id',
  deal: 'stripe_object_id',
  task: 'handoff_task_key',
  ticket: 'handoff_ticket_key',
} as const;

export const hubspotSecret = z.object({
  accessToken: z.string().min(1).describe('pat-…'),
  baseUrl: z.url().optional().describe('Another address for the HubSpot API (a proxy, or a local fake in tests); default https://api.hubapi.com'),
});

export type HubSpotSecret = z.infer<typeof hubspotSecret>;

export const hubspotProvider = defineProvider({
  id: 'hubspot',
  label: 'HubSpot',
  can: ['deals', 'contacts', 'tasks', 'tickets'],
  credentials: [
    {
      type: 'hubspot',
      label: 'HubSpot private app',
      hint: 'The private app’s access token (pat-…), with the CRM object scopes for contacts, deals, tasks and tickets',
      secret: hubspotSecret,
    },
  ],
  outbox: true,
});
