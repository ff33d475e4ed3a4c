import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { crmCreateTask } from './crm-create-task';

const event = sampleEvent('checkout_paid');

describe('crm.createTask', () => {
  it('gives the assignee a task in the built-in CRM and queues their notice', async () => {
    const { result, effects } = await runNode(crmCreateTask, { assignee: 'Sam@Example.com', dueIn: 'PT4H' }, { event });
    expect(effects.tasks).toEqual([{ title: 'Call Jenny Rosen about their payment', assignee: 'sam@example.com', dueAt: '2026-01-05T13:00:00.000Z', dealId: null }]);
    expect(effects.outbox).toMatchObject([{ channel: 'email', recipient: 'sam@example.com', subject: 'New task: Call Jenny Rosen about their payment' }]);
    expect(result).toEqual({ port: 'out', output: { taskId: 'task_1', dealId: null, assignee: 'sam@example.com', dueAt: '2026-01-05T13:00:00.000Z', outboxId: 'out_1' } });
  });

  it('sends a HubSpot task upserted by the flow, step and idempotency key and the paying client as its contact', async () => {
    const config = { connection: 'hubspot', crmCredential: { credential: 'cred_hs' }, assignee: 'sam@example.com', notify: 'none' };
    const { result, effects } = await runNode(crmCreateTask, config, { event, idempotencyKey: 'cs_test_1:kickoff' });
    expect(effects.tasks).toEqual([
      {
        title: 'Call Jenny Rosen about their payment',
        assignee: 'sam@example.com',
        dueAt: '2026-01-06T09:00:00.000Z',
        dealId: null,
        connection: 'hubspot',
        credential: 'cred_hs',
        key: 'flow_1:step:cs_test_1:kickoff',
        body: 'Assigned to sam@example.com by the Handoff flow "Payment to onboarding".',
        person: { customerId: 'cus_QXg1o8vcGmoR32', email: 'client@example.com', name: 'Jenny Rosen' },
      },
    ]);
    expect(effects.outbox).toEqual([]);
    expect(result).toEqual({
      port: 'out',
      output: { connection: 'hubspot', queued: true, key: 'flow_1:step:cs_test_1:kickoff', assignee: 'sam@example.com', dueAt: '2026-01-06T09:00:00.000Z', crmOutboxId: 'out_task_1', outboxId: null },
    });
  });

  it('needs a CRM credential for HubSpot and Salesforce, not for the built-in CRM', () => {
    expect(crmCreateTask.config.safeParse({ connection: 'salesforce', assignee: 'a@example.com' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['crmCredential'], message: 'is required to reach Salesforce' }),
    ]);
    expect(crmCreateTask.config.safeParse({ assignee: 'a@example.com' }).success).toBe(true);
  });
});
