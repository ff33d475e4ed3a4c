import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/fake-http';
import { FakeSalesforce } from '../../../test/fake-salesforce';
import { edge, flow, flowHelpers, node, type RunView } from '../../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../../test/harness';

interface OutboxView {
  id: string;
  status: string;
  history: Array<{ ok: boolean; error: string | null }>;
}

const BASE = '/services/data/v60.0/sobjects';
const today = () => new Date().toISOString().slice(0, 10);

describe('Salesforce connector', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  const sf = new FakeSalesforce({ externalIds: { Opportunity: ['Stripe_Object_Id__c', 'Checkout_Id__c'] } });
  let credential: string;

  beforeAll(async () => {
    await sf.start();
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'salesforce', name: 'Salesforce (fake)', secret: { instanceUrl: sf.url, accessToken: '00Dxx!token' } });
    expect(cred.status).toBe(201);
    credential = cred.body.id;
  });
  beforeEach(() => {
    sf.http.requests.length = 0;
  });
  afterAll(async () => {
    await app?.close();
    await sf.stop();
  });

  const oneStep = (type: string, config: Record<string, unknown>) =>
    h.createFlow(flow(`${type} to Salesforce ${Math.random()}`, [node('start', 'manual.trigger'), node('step', type, { connection: 'salesforce', ...config })], [edge('start', 'step')]));

  async function deliver(flowId: string, payload: Record<string, unknown>, outboxField = 'outboxId', ms = 30_000): Promise<{ run: RunView; output: Record<string, unknown>; message: OutboxView }> {
    const run = await h.untilStatus(await h.testRun(flowId, payload), ['succeeded', 'failed']);
    expect(run.status, run.error ?? '').toBe('succeeded');
    const output = h.step(run, 'step')!.output as Record<string, unknown>;
    const message = await eventually(async () => {
      const { body } = await api.get<{ items: OutboxView[] }>(`/api/outbox?runId=${run.id}`);
      const m = body.items.find((x) => x.id === output[outboxField]);
      return m?.status === 'sent' ? m : undefined;
    }, ms, 'the Salesforce delivery');
    return { run, output, message };
  }

  const deal = (payment: Record<string, unknown>, stage: string) => ({ payment: { currency: 'usd', metadata: { product: 'Website' }, ...payment }, stage });

  describe('deals', () => {
    let flowId: string;
    beforeAll(async () => {
      flowId = await oneStep('crm.updateDeal', { credential: { credential }, stage: '{{ trigger.stage }}' });
    });

    it('upserts the Contact by Stripe_Customer_Id__c and the Opportunity by Stripe_Object_Id__c, naming them only when new', async () => {
      await deliver(flowId, deal({ customerId: 'cus_S1', email: 'Ada@Example.com', name: 'Ada Lovelace', amount: 250000, objectId: 'cs_test_S1' }, 'Prospecting'));
      const [contact] = sf.find('Contact', 'Stripe_Customer_Id__c', 'cus_S1');
      const contactFields = { Email: 'Ada@Example.com', Handoff_Email__c: 'ada@example.com' };
      const oppFields = { StageName: 'Prospecting', Amount: 2500 };
      expect(sf.calls()).toEqual([
        { call: `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_S1`, body: contactFields },
        { call: `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_S1`, body: { ...contactFields, FirstName: 'Ada', LastName: 'Lovelace' } },
        { call: `PATCH ${BASE}/Opportunity/Stripe_Object_Id__c/cs_test_S1`, body: oppFields },
        { call: `PATCH ${BASE}/Opportunity/Stripe_Object_Id__c/cs_test_S1`, body: { ...oppFields, Name: 'Website – Ada Lovelace', CloseDate: today(), ContactId: contact.Id } },
      ]);
      expect(sf.http.requests.every((r) => r.headers.authorization === 'Bearer 00Dxx!token')).toBe(true);
    });

    it('updates what exists with one call each, leaving the names and close date as people keep them', async () => {
      await deliver(flowId, deal({ customerId: 'cus_S2', email: 'bo@example.com', name: 'Bo Inc', amount: 1000, objectId: 'cs_test_S2' }, 'Prospecting'));
      sf.http.requests.length = 0;
      await deliver(flowId, deal({ customerId: 'cus_S2', email: 'bo@example.com', name: 'Renamed', amount: 1999, objectId: 'cs_test_S2' }, 'Closed Won'));
      expect(sf.calls()).toEqual([
        { call: `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_S2`, body: { Email: 'bo@example.com', Handoff_Email__c: 'bo@example.com' } },
        { call: `PATCH ${BASE}/Opportunity/Stripe_Object_Id__c/cs_test_S2`, body: { StageName: 'Closed Won', Amount: 19.99 } },
      ]);
      expect(sf.find('Contact', 'Stripe_Customer_Id__c', 'cus_S2').map((c) => [c.fields.FirstName, c.fields.LastName])).toEqual([['Bo', 'Inc']]);
      expect(sf.find('Opportunity', 'Stripe_Object_Id__c', 'cs_test_S2').map((o) => [o.fields.Name, o.fields.StageName])).toEqual([['Website – Bo Inc', 'Closed Won']]);
    });

    it('ends with one Contact and one Opportunity when each create’s answer is lost', async () => {
      sf.loseAnswer(`PATCH ${BASE}/Contact/`);
      sf.loseAnswer(`PATCH ${BASE}/Opportunity/`);
      const { message } = await deliver(flowId, deal({ customerId: 'cus_S3', email: 'c@example.com', name: 'C', amount: 700, objectId: 'cs_test_S3' }, 'Closed Won'), 'outboxId', 60_000);
      expect(message.history.map((a) => a.ok)).toEqual([false, false, true]);
      expect(message.history[0].error).toMatch(/^Salesforce/);
      expect(sf.find('Contact', 'Stripe_Customer_Id__c', 'cus_S3')).toHaveLength(1);
      expect(sf.find('Opportunity', 'Stripe_Object_Id__c', 'cs_test_S3')).toHaveLength(1);
      const contact = `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_S3`;
      const opportunity = `PATCH ${BASE}/Opportunity/Stripe_Object_Id__c/cs_test_S3`;
      // attempt 1: contact refused (new), contact made (answer lost); 2: contact found, opportunity refused (new), made (answer lost); 3: both found.
      expect(sf.calls().map((c) => c.call)).toEqual([contact, contact, contact, opportunity, opportunity, contact, opportunity]);
    }, 90_000);

    it('keys the Contact by the lower-case e-mail without a customer id, and adopts it when a payment brings one', async () => {
      await deliver(flowId, deal({ email: 'Ob@Example.com', name: "O'Brien", objectId: 'cs_test_S4' }, 'Prospecting'));
      expect(sf.calls()[0]).toEqual({ call: `PATCH ${BASE}/Contact/Handoff_Email__c/ob@example.com`, body: { Email: 'Ob@Example.com' } });
      sf.http.requests.length = 0;
      await deliver(flowId, deal({ customerId: 'cus_S4', email: 'ob@example.com', objectId: 'cs_test_S5' }, 'Prospecting'));
      // The customer-id upsert would make a second Contact with the same e-mail key (DUPLICATE_VALUE): the e-mail's Contact gets the customer id.
      expect(sf.calls().slice(0, 3)).toEqual([
        { call: `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_S4`, body: { Email: 'ob@example.com', Handoff_Email__c: 'ob@example.com' } },
        { call: `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_S4`, body: { Email: 'ob@example.com', Handoff_Email__c: 'ob@example.com', LastName: 'ob@example.com' } },
        { call: `PATCH ${BASE}/Contact/Handoff_Email__c/ob@example.com`, body: { Email: 'ob@example.com', Stripe_Customer_Id__c: 'cus_S4' } },
      ]);
      expect(sf.store.Contact.filter((c) => c.fields.Handoff_Email__c === 'ob@example.com')).toEqual([
        expect.objectContaining({ fields: expect.objectContaining({ LastName: "O'Brien", Stripe_Customer_Id__c: 'cus_S4' }) }),
      ]);
    });
  });

  it('upserts a Task by Handoff_Key__c, owned by the assignee’s user and about the contact: one Task after a lost answer', async () => {
    sf.users = [{ Id: '005FAKE0000001', Email: 'sam@example.com', IsActive: true }];
    const flowId = await oneStep('crm.createTask', { crmCredential: { credential }, title: 'Kick-off call with {{ trigger.payment.name }}', assignee: 'sam@example.com', notify: 'none', dueIn: 'P2D' });
    sf.loseAnswer(`PATCH ${BASE}/Task/`);
    const { run, output, message } = await deliver(flowId, { payment: { customerId: 'cus_T1', email: 'tina@example.com', name: 'Tina' } }, 'crmOutboxId', 60_000);
    const key = `${flowId}:step:${h.step(run, 'step')!.idempotencyKey}`;
    expect(output).toMatchObject({ connection: 'salesforce', queued: true, key });
    expect(message.history.map((a) => a.ok)).toEqual([false, true]);
    const [contact] = sf.find('Contact', 'Stripe_Customer_Id__c', 'cus_T1');
    const tasks = sf.find('Task', 'Handoff_Key__c', key);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].fields).toMatchObject({ Subject: 'Kick-off call with Tina', WhoId: contact.Id, OwnerId: '005FAKE0000001', Status: 'Not Started', ActivityDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const taskCalls = sf.calls().filter((c) => c.call.startsWith(`PATCH ${BASE}/Task/`));
    expect(taskCalls.map((c) => c.call)).toEqual([`PATCH ${BASE}/Task/Handoff_Key__c/${key}`, `PATCH ${BASE}/Task/Handoff_Key__c/${key}`]);
    expect(taskCalls[0].body).toEqual({ Subject: 'Kick-off call with Tina', Description: expect.stringMatching(/^Assigned to sam@example.com/), ActivityDate: tasks[0].fields.ActivityDate, WhoId: contact.Id, OwnerId: '005FAKE0000001' });
    expect(sf.calls()[0]).toEqual({ call: 'GET /services/data/v60.0/query', soql: "SELECT Id FROM User WHERE Email = 'sam@example.com' AND IsActive = true ORDER BY CreatedDate LIMIT 1" });
  }, 90_000);

  it('sets Contact fields by the same upsert, clearing a field given an empty value', async () => {
    const flowId = await oneStep('crm.updateContact', { credential: { credential }, properties: { Subscription_Status__c: '{{ trigger.status }}', Plan__c: '' } });
    await deliver(flowId, { payment: { customerId: 'cus_C1', email: 'props@example.com', name: 'Pat' }, status: 'active' });
    expect(sf.calls().slice(-1)).toEqual([
      { call: `PATCH ${BASE}/Contact/Stripe_Customer_Id__c/cus_C1`, body: { Email: 'props@example.com', Handoff_Email__c: 'props@example.com', Subscription_Status__c: 'active', Plan__c: null, LastName: 'Pat' } },
    ]);
    expect(sf.find('Contact', 'Stripe_Customer_Id__c', 'cus_C1')[0].fields).toMatchObject({ Subscription_Status__c: 'active', LastName: 'Pat' });
  });

  it('uses the External ID field names the credential gives', async () => {
    const secret = { instanceUrl: sf.url, accessToken: '00Dxx!token', opportunityKeyField: 'Checkout_Id__c' };
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'salesforce', name: 'Salesforce (own fields)', secret });
    const flowId = await oneStep('crm.updateDeal', { credential: { credential: cred.body.id }, stage: 'Closed Won' });
    await deliver(flowId, deal({ customerId: 'cus_S6', email: 'f@example.com', objectId: 'cs_test_S6' }, 'Closed Won'));
    expect(sf.find('Opportunity', 'Checkout_Id__c', 'cs_test_S6')).toHaveLength(1);
    expect(sf.calls().map((c) => c.call)).toContain(`PATCH ${BASE}/Opportunity/Checkout_Id__c/cs_test_S6`);
  });
});
