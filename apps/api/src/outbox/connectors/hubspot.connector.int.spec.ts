import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/fake-http';
import { FakeHubSpot } from '../../../test/fake-hubspot';
import { edge, flow, flowHelpers, node, type RunView } from '../../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../../test/harness';

interface OutboxView {
  id: string;
  status: string;
  channel: string;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  history: Array<{ ok: boolean; error: string | null }>;
}

const UPSERT = (object: string) => `POST /crm/v3/objects/${object}/batch/upsert`;
const ASSOCIATE = (from: string, fromId: string, to: string, toId: string) => `PUT /crm/v4/objects/${from}/${fromId}/associations/default/${to}/${toId}`;
const upsertBody = (idProperty: string, id: string, properties: Record<string, string>) => ({ inputs: [{ idProperty, id, properties }] });

describe('HubSpot connector', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  // Writes stay out of search for 5 s: longer than the outbox's first retry (about 3 s later).
  const hubspot = new FakeHubSpot({ searchLagMs: 5_000 });
  let credential: string;

  beforeAll(async () => {
    await hubspot.start();
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'hubspot', name: 'HubSpot (fake)', secret: { accessToken: 'pat-test-123', baseUrl: hubspot.url } });
    expect(cred.status).toBe(201);
    credential = cred.body.id;
  });
  beforeEach(() => {
    hubspot.http.requests.length = 0;
  });
  afterAll(async () => {
    await app?.close();
    await hubspot.stop();
  });

  const oneStep = (type: string, config: Record<string, unknown>) =>
    h.createFlow(flow(`${type} to HubSpot ${Math.random()}`, [node('start', 'manual.trigger'), node('step', type, { connection: 'hubspot', ...config })], [edge('start', 'step')]));

  /** Runs the flow and waits for the outbox message the step queued to be sent. */
  async function deliver(flowId: string, payload: Record<string, unknown>, outboxField = 'outboxId', ms = 30_000): Promise<{ run: RunView; output: Record<string, unknown>; message: OutboxView }> {
    const run = await h.untilStatus(await h.testRun(flowId, payload), ['succeeded', 'failed']);
    expect(run.status, run.error ?? '').toBe('succeeded');
    const output = h.step(run, 'step')!.output as Record<string, unknown>;
    const message = await eventually(async () => {
      const { body } = await api.get<{ items: OutboxView[] }>(`/api/outbox?runId=${run.id}`);
      const m = body.items.find((x) => x.id === output[outboxField]);
      return m?.status === 'sent' ? m : undefined;
    }, ms, 'the HubSpot delivery');
    return { run, output, message };
  }

  const deal = (payment: Record<string, unknown>, stage: string) => ({ payment: { currency: 'usd', metadata: { product: 'Website' }, ...payment }, stage });

  describe('deals', () => {
    let flowId: string;
    beforeAll(async () => {
      flowId = await oneStep('crm.updateDeal', { credential: { credential }, stage: '{{ trigger.stage }}' });
    });

    it('upserts the contact by stripe_customer_id and the deal by stripe_object_id, then associates them', async () => {
      const { output, message } = await deliver(flowId, deal({ customerId: 'cus_H1', email: 'ada@example.com', name: 'Ada King Lovelace', amount: 250000, objectId: 'cs_test_H1' }, 'appointmentscheduled'));
      expect(output).toMatchObject({ connection: 'hubspot', queued: true, objectId: 'cs_test_H1', stage: 'appointmentscheduled' });
      expect(message).toMatchObject({ channel: 'hubspot', subject: 'HubSpot deal cs_test_H1 → appointmentscheduled', attempts: 1 });
      const [contact] = hubspot.find('contacts', 'stripe_customer_id', 'cus_H1');
      const [made] = hubspot.find('deals', 'stripe_object_id', 'cs_test_H1');
      expect(hubspot.calls()).toEqual([
        { call: UPSERT('contacts'), body: upsertBody('stripe_customer_id', 'cus_H1', { email: 'ada@example.com', firstname: 'Ada', lastname: 'King Lovelace' }) },
        {
          call: UPSERT('deals'),
          body: upsertBody('stripe_object_id', 'cs_test_H1', { dealname: 'Website – Ada King Lovelace', dealstage: 'appointmentscheduled', amount: '2500.00', deal_currency_code: 'USD', stripe_customer_id: 'cus_H1' }),
        },
        { call: ASSOCIATE('deals', made.id, 'contacts', contact.id), body: null },
      ]);
      expect(hubspot.associations).toContainEqual({ from: 'deals', fromId: made.id, to: 'contacts', toId: contact.id, typeId: 3 });
      expect(hubspot.http.requests.every((r) => r.headers.authorization === 'Bearer pat-test-123')).toBe(true);
    });

    it('ends with one contact, one deal and one association when every write’s first answer is lost', async () => {
      hubspot.loseAnswer(UPSERT('contacts'));
      hubspot.loseAnswer(UPSERT('deals'));
      hubspot.loseAnswer('PUT /crm/v4/objects/deals/');
      const { message } = await deliver(flowId, deal({ customerId: 'cus_H3', email: 'c@example.com', amount: 500, objectId: 'cs_test_H3' }, 'closedwon'), 'outboxId', 60_000);
      expect(message.history.map((a) => a.ok)).toEqual([false, false, false, true]);
      expect(message.history[0].error).toMatch(/^HubSpot/);
      const contacts = hubspot.find('contacts', 'stripe_customer_id', 'cus_H3');
      const deals = hubspot.find('deals', 'stripe_object_id', 'cs_test_H3');
      expect(contacts).toHaveLength(1);
      expect(deals).toHaveLength(1);
      expect(hubspot.associations.filter((a) => a.fromId === deals[0].id)).toEqual([{ from: 'deals', fromId: deals[0].id, to: 'contacts', toId: contacts[0].id, typeId: 3 }]);
      // Each attempt repeats the same upserts; none reads the search index.
      expect(hubspot.calls().map((c) => c.call)).toEqual([
        UPSERT('contacts'),
        UPSERT('contacts'),
        UPSERT('deals'),
        UPSERT('contacts'),
        UPSERT('deals'),
        ASSOCIATE('deals', deals[0].id, 'contacts', contacts[0].id),
        UPSERT('contacts'),
        UPSERT('deals'),
        ASSOCIATE('deals', deals[0].id, 'contacts', contacts[0].id),
      ]);
    }, 90_000);

    it('updates the same deal when the next event for the checkout comes while search cannot see it yet', async () => {
      await deliver(flowId, deal({ customerId: 'cus_H2', email: 'old@example.com', name: 'Bo', amount: 1000, objectId: 'cs_test_H2' }, 'appointmentscheduled'));
      await deliver(flowId, deal({ customerId: 'cus_H2', email: 'new@example.com', amount: 1200, objectId: 'cs_test_H2' }, 'closedwon'));
      const deals = hubspot.find('deals', 'stripe_object_id', 'cs_test_H2');
      expect(deals).toHaveLength(1);
      expect(deals[0].searchableAt).toBeGreaterThan(Date.now());
      expect(deals[0].properties).toMatchObject({ dealstage: 'closedwon', amount: '12.00', dealname: 'Website – new@example.com' });
      expect(hubspot.find('contacts', 'stripe_customer_id', 'cus_H2').map((c) => c.properties)).toEqual([expect.objectContaining({ email: 'new@example.com', firstname: 'Bo' })]);
    });

    it('keys the contact by e-mail without a customer id, and gives that contact the customer id once a payment brings one', async () => {
      await deliver(flowId, deal({ email: 'Lag@Example.com', name: 'Lag', objectId: 'cs_test_H4' }, 'closedwon'));
      expect(hubspot.calls()[0]).toEqual({ call: UPSERT('contacts'), body: upsertBody('email', 'lag@example.com', { firstname: 'Lag' }) });
      hubspot.http.requests.length = 0;
      await deliver(flowId, deal({ customerId: 'cus_H4', email: 'lag@example.com', objectId: 'cs_test_H5' }, 'closedwon'));
      // The customer-id upsert would take an e-mail in use (409): the contact is upserted by e-mail instead.
      expect(hubspot.calls().slice(0, 2)).toEqual([
        { call: UPSERT('contacts'), body: upsertBody('stripe_customer_id', 'cus_H4', { email: 'lag@example.com' }) },
        { call: UPSERT('contacts'), body: upsertBody('email', 'lag@example.com', { stripe_customer_id: 'cus_H4' }) },
      ]);
      expect(hubspot.find('contacts', 'email', 'lag@example.com')).toEqual([expect.objectContaining({ properties: expect.objectContaining({ stripe_customer_id: 'cus_H4' }) })]);
    });

    it('fails the step at once when the run has no Stripe object to key the deal by', async () => {
      const run = await h.untilStatus(await h.testRun(flowId, { payment: { email: 'x@example.com' }, stage: 'closedwon' }), ['succeeded', 'failed']);
      expect(run.status).toBe('failed');
      expect(h.step(run, 'step')!.error).toMatch(/Stripe object id/);
    });
  });

  it('writes a task upserted by handoff_task_key, owned by the assignee and associated with the contact: one task after lost answers', async () => {
    hubspot.owners = [{ id: '501', email: 'sam@example.com', firstName: 'Sam', lastName: 'Ops' }];
    const flowId = await oneStep('crm.createTask', { crmCredential: { credential }, title: 'Kick-off call with {{ trigger.payment.name }}', assignee: 'sam@example.com', notify: 'none', dueIn: 'P2D' });
    hubspot.loseAnswer(UPSERT('tasks'));
    hubspot.loseAnswer('PUT /crm/v4/objects/tasks/');
    const { run, output, message } = await deliver(flowId, { payment: { customerId: 'cus_T1', email: 'tina@example.com', name: 'Ada' } }, 'crmOutboxId', 60_000);
    const key = `${flowId}:step:${h.step(run, 'step')!.idempotencyKey}`;
    expect(output).toMatchObject({ connection: 'hubspot', queued: true, key, assignee: 'sam@example.com', outboxId: null });
    expect(message.history.map((a) => a.ok)).toEqual([false, false, true]);
    const tasks = hubspot.find('tasks', 'handoff_task_key', key);
    const [contact] = hubspot.find('contacts', 'stripe_customer_id', 'cus_T1');
    expect(tasks).toHaveLength(1);
    expect(hubspot.records.tasks.filter((t) => t.properties.hs_task_subject === 'Kick-off call with Ada')).toHaveLength(1);
    expect(hubspot.associations.filter((a) => a.from === 'tasks' && a.fromId === tasks[0].id)).toEqual([{ from: 'tasks', fromId: tasks[0].id, to: 'contacts', toId: contact.id, typeId: 204 }]);
    const first = hubspot.calls().slice(0, 4);
    expect(first.map((c) => c.call)).toEqual(['GET /crm/v3/owners/?email=sam%40example.com&limit=1', UPSERT('contacts'), UPSERT('tasks'), 'GET /crm/v3/owners/?email=sam%40example.com&limit=1']);
    expect(first[2].body).toEqual(upsertBody('handoff_task_key', key, { hs_task_subject: 'Kick-off call with Ada', hs_task_body: expect.stringMatching(/^Assigned to sam@example.com by the Handoff flow/), hs_timestamp: expect.any(String), hubspot_owner_id: '501' }));
  }, 90_000);

  it('opens one ticket upserted by handoff_ticket_key, associated with the contact, after a lost answer', async () => {
    const flowId = await oneStep('crm.createTicket', { credential: { credential }, subject: 'Payment failed: {{ trigger.payment.name }}', content: 'Card declined', priority: 'HIGH' });
    hubspot.loseAnswer(UPSERT('tickets'));
    const { output, message } = await deliver(flowId, { payment: { email: 'grace@example.com', name: 'Grace' } }, 'outboxId', 60_000);
    expect(message.history.map((a) => a.ok)).toEqual([false, true]);
    const tickets = hubspot.find('tickets', 'handoff_ticket_key', output.key as string);
    const [contact] = hubspot.find('contacts', 'email', 'grace@example.com');
    expect(tickets.map((t) => t.properties)).toEqual([
      { subject: 'Payment failed: Grace', content: 'Card declined', hs_ticket_priority: 'HIGH', hs_pipeline: '0', hs_pipeline_stage: '1', handoff_ticket_key: output.key },
    ]);
    expect(hubspot.associations.filter((a) => a.from === 'tickets')).toEqual([{ from: 'tickets', fromId: tickets[0].id, to: 'contacts', toId: contact.id, typeId: 16 }]);
    expect(hubspot.calls().map((c) => c.call)).toEqual([UPSERT('contacts'), UPSERT('tickets'), UPSERT('contacts'), UPSERT('tickets'), ASSOCIATE('tickets', tickets[0].id, 'contacts', contact.id)]);
  });

  it('sets contact properties by the same upsert, clearing a property given an empty value', async () => {
    const flowId = await oneStep('crm.updateContact', { credential: { credential }, properties: { subscription_status: '{{ trigger.status }}', plan: '' } });
    const { output } = await deliver(flowId, { payment: { customerId: 'cus_C1', email: 'props@example.com' }, status: 'active' });
    expect(output).toMatchObject({ connection: 'hubspot', queued: true, key: 'cus_C1' });
    expect(hubspot.calls()).toEqual([{ call: UPSERT('contacts'), body: upsertBody('stripe_customer_id', 'cus_C1', { email: 'props@example.com', subscription_status: 'active', plan: '' }) }]);
    expect(hubspot.find('contacts', 'stripe_customer_id', 'cus_C1')[0].properties).toEqual({ email: 'props@example.com', subscription_status: 'active', stripe_customer_id: 'cus_C1' });
  });

  it('says what to set up when a key property lacks "unique value" in HubSpot', async () => {
    const unset = await new FakeHubSpot({ unique: { deals: [] } }).start();
    try {
      const cred = await api.post<{ id: string }>('/api/credentials', { type: 'hubspot', name: 'HubSpot (not set up)', secret: { accessToken: 'pat-test-123', baseUrl: unset.url } });
      const flowId = await oneStep('crm.updateDeal', { credential: { credential: cred.body.id }, stage: 'closedwon' });
      const run = await h.untilStatus(await h.testRun(flowId, deal({ customerId: 'cus_U1', objectId: 'cs_test_U1' }, 'closedwon')), ['succeeded', 'failed']);
      const failed = await eventually(async () => {
        const { body } = await api.get<{ items: OutboxView[] }>(`/api/outbox?runId=${run.id}`);
        return body.items.find((m) => m.lastError);
      }, 20_000, 'the first failed attempt');
      expect(failed.lastError).toBe('HubSpot answered 400: Property "stripe_object_id" is not a unique identifier for deals: turn on "unique value" on it');
      expect(unset.records.deals).toEqual([]);
    } finally {
      await unset.stop();
    }
  });
});
