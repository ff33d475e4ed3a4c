import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { crmCreateTicket } from './crm-create-ticket';

describe('crm.createTicket', () => {
  it('opens a HubSpot ticket keyed by the flow, step and idempotency key, about the paying client', async () => {
    const event = sampleEvent('invoice_payment_failed');
    const { result, effects } = await runNode(crmCreateTicket, { credential: { credential: 'cred_hs' } }, { event, idempotencyKey: 'in_1:2:ticket' });
    expect(effects.tickets).toEqual([
      {
        connection: 'hubspot',
        credential: 'cred_hs',
        key: 'flow_1:step:in_1:2:ticket',
        subject: `Payment problem: ${event.data!.object!.customer_name}`,
        content: expect.stringMatching(/^Stripe invoice\.payment_failed for \d+(\.\d+)? [A-Z]{3} \(in_/),
        priority: 'HIGH',
        pipeline: '0',
        stage: '1',
        person: { customerId: expect.stringMatching(/^cus_/), email: 'client@example.com', name: expect.any(String) },
      },
    ]);
    expect(result).toEqual({ port: 'out', output: { connection: 'hubspot', queued: true, outboxId: 'out_ticket_1', key: 'flow_1:step:in_1:2:ticket' } });
  });

  it('cannot be saved without a HubSpot credential, and offers only the CRMs that have tickets', () => {
    expect(crmCreateTicket.config.safeParse({}).error?.issues).toEqual([expect.objectContaining({ path: ['credential'] })]);
    expect(crmCreateTicket.config.safeParse({ connection: 'salesforce', credential: { credential: 'c' } }).error?.issues[0]).toMatchObject({ code: 'invalid_value', values: ['hubspot'] });
  });
});
