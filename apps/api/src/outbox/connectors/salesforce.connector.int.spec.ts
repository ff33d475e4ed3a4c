import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, FakeHttp, Recorded } from '../../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../../test/harness';

type Sobject = 'Account' | 'Opportunity';
interface SfRecord {
  Id: string;
  fields: Record<string, unknown>;
}

const BASE = '/services/data/v60.0';

/** The Salesforce REST endpoints jsforce uses here (SOQL query, sObject create and update), in memory. */
class FakeSalesforce {
  readonly http = new FakeHttp();
  store: Record<Sobject, SfRecord[]> = { Account: [], Opportunity: [] };
  private next = 1;
  loseCreateAnswer: Sobject | null = null;

  async start() {
    await this.http.start();
    this.http.respond((req, res) => this.handle(req, res));
    return this;
  }

  private send(res: ServerResponse, status: number, body?: unknown) {
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private handle(req: Recorded, res: ServerResponse) {
    const url = new URL(req.path, 'http://fake');
    if (req.method === 'GET' && url.pathname === `${BASE}/query`) {
      const q = /^SELECT Id FROM (Account|Opportunity) WHERE (\w+) = '((?:[^'\\]|\\.)*)' ORDER BY CreatedDate LIMIT 1$/.exec(url.searchParams.get('q') ?? '');
      if (!q) return this.send(res, 400, [{ errorCode: 'MALFORMED_QUERY', message: `unexpected query ${url.searchParams.get('q')}` }]);
      const value = q[3].replace(/\\(.)/g, '$1');
      const records = this.store[q[1] as Sobject].filter((r) => r.fields[q[2]] === value).slice(0, 1);
      return this.send(res, 200, { totalSize: records.length, done: true, records: records.map((r) => ({ attributes: { type: q[1], url: `${BASE}/sobjects/${q[1]}/${r.Id}` }, Id: r.Id })) });
    }
    const m = new RegExp(`^${BASE}/sobjects/(Account|Opportunity)(?:/(\\w+))?$`).exec(url.pathname);
    if (!m) return this.send(res, 404, [{ errorCode: 'NOT_FOUND', message: req.path }]);
    const type = m[1] as Sobject;
    const body = JSON.parse(req.body || '{}');
    if (req.method === 'POST' && !m[2]) {
      const id = `${type === 'Account' ? '001' : '006'}FAKE${String(this.next++).padStart(10, '0')}`;
      this.store[type].push({ Id: id, fields: body });
      if (this.loseCreateAnswer === type) {
        this.loseCreateAnswer = null;
        return this.send(res, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'try again' }]);
      }
      return this.send(res, 201, { id, success: true, errors: [] });
    }
    if (req.method === 'PATCH' && m[2]) {
      const r = this.store[type].find((x) => x.Id === m[2]);
      if (!r) return this.send(res, 404, [{ errorCode: 'NOT_FOUND', message: 'no such record' }]);
      Object.assign(r.fields, body);
      return this.send(res, 204);
    }
    return this.send(res, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: req.method }]);
  }

  calls() {
    return this.http.requests.map((r) => {
      const url = new URL(r.path, 'http://fake');
      const soql = url.searchParams.get('q');
      return soql ? { call: `${r.method} ${url.pathname}`, soql } : { call: `${r.method} ${url.pathname}`, body: r.body ? JSON.parse(r.body) : null };
    });
  }
}

const today = () => new Date().toISOString().slice(0, 10);

describe('Salesforce connector', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let sf: FakeSalesforce;
  let flowId: string;

  beforeAll(async () => {
    sf = await new FakeSalesforce().start();
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'salesforce', name: 'Salesforce (fake)', secret: { instanceUrl: sf.http.url, accessToken: '00Dxx!token' } });
    expect(cred.status).toBe(201);
    flowId = await h.createFlow(
      flow(
        'salesforce',
        [node('start', 'manual.trigger'), node('deal', 'crm.updateDeal', { connection: 'salesforce', credential: { credential: cred.body.id }, stage: '{{ trigger.stage }}' })],
        [edge('start', 'deal')],
      ),
    );
  });
  beforeEach(() => {
    sf.http.requests.length = 0;
  });
  afterAll(async () => {
    await app?.close();
    await sf?.http.stop();
  });

  async function deliver(payment: Record<string, unknown>, stage: string) {
    const run = await h.untilStatus(await h.testRun(flowId, { payment: { currency: 'usd', metadata: { product: 'Website' }, ...payment }, stage }), ['succeeded', 'failed']);
    expect(run.status, run.error ?? '').toBe('succeeded');
    const { outboxId } = h.step(run, 'deal')!.output as { outboxId: string };
    return eventually(async () => {
      const { body } = await api.get<{ items: Array<{ id: string; status: string; history: Array<{ ok: boolean; error: string | null }> }> }>(`/api/outbox?runId=${run.id}`);
      const m = body.items.find((x) => x.id === outboxId);
      return m?.status === 'sent' ? m : undefined;
    }, 30_000, 'the Salesforce delivery');
  }

  it('queries the Account by Stripe customer id and the Opportunity by Stripe object id, then creates both', async () => {
    await deliver({ customerId: 'cus_S1', email: 'ada@example.com', name: 'Ada Ltd', amount: 250000, objectId: 'cs_test_S1' }, 'Prospecting');
    const account = sf.store.Account[0];
    expect(sf.calls()).toEqual([
      { call: `GET ${BASE}/query`, soql: "SELECT Id FROM Account WHERE Stripe_Customer_Id__c = 'cus_S1' ORDER BY CreatedDate LIMIT 1" },
      { call: `POST ${BASE}/sobjects/Account`, body: { Name: 'Ada Ltd', Stripe_Customer_Id__c: 'cus_S1' } },
      { call: `GET ${BASE}/query`, soql: "SELECT Id FROM Opportunity WHERE Stripe_Object_Id__c = 'cs_test_S1' ORDER BY CreatedDate LIMIT 1" },
      {
        call: `POST ${BASE}/sobjects/Opportunity`,
        body: { Name: 'Website – Ada Ltd', CloseDate: today(), AccountId: account.Id, Stripe_Object_Id__c: 'cs_test_S1', StageName: 'Prospecting', Amount: 2500 },
      },
    ]);
    expect(sf.http.requests.every((r) => r.headers.authorization === 'Bearer 00Dxx!token')).toBe(true);
  });

  it('updates the Opportunity it finds and leaves the Account as sales named it', async () => {
    await deliver({ customerId: 'cus_S2', name: 'Bo Inc', amount: 1000, objectId: 'cs_test_S2' }, 'Prospecting');
    sf.http.requests.length = 0;
    await deliver({ customerId: 'cus_S2', name: 'Renamed', amount: 1999, objectId: 'cs_test_S2' }, 'Closed Won');
    const opp = sf.store.Opportunity.find((o) => o.fields.Stripe_Object_Id__c === 'cs_test_S2')!;
    expect(sf.calls()).toEqual([
      { call: `GET ${BASE}/query`, soql: "SELECT Id FROM Account WHERE Stripe_Customer_Id__c = 'cus_S2' ORDER BY CreatedDate LIMIT 1" },
      { call: `GET ${BASE}/query`, soql: "SELECT Id FROM Opportunity WHERE Stripe_Object_Id__c = 'cs_test_S2' ORDER BY CreatedDate LIMIT 1" },
      { call: `PATCH ${BASE}/sobjects/Opportunity/${opp.Id}`, body: { StageName: 'Closed Won', Amount: 19.99 } },
    ]);
    expect(sf.store.Account.filter((a) => a.fields.Stripe_Customer_Id__c === 'cus_S2')).toEqual([expect.objectContaining({ fields: { Name: 'Bo Inc', Stripe_Customer_Id__c: 'cus_S2' } })]);
  });

  it('never makes a second Opportunity when the answer to the create was lost: the retry queries, finds it and updates', async () => {
    sf.loseCreateAnswer = 'Opportunity';
    const message = await deliver({ customerId: 'cus_S3', name: 'C', amount: 700, objectId: 'cs_test_S3' }, 'Closed Won');
    expect(message.history.map((a) => a.ok)).toEqual([false, true]);
    expect(message.history[0].error).toMatch(/Salesforce/);
    expect(sf.store.Opportunity.filter((o) => o.fields.Stripe_Object_Id__c === 'cs_test_S3')).toHaveLength(1);
    expect(sf.store.Account.filter((a) => a.fields.Stripe_Customer_Id__c === 'cus_S3')).toHaveLength(1);
    expect(sf.calls().map((c) => c.call)).toEqual([
      `GET ${BASE}/query`,
      `POST ${BASE}/sobjects/Account`,
      `GET ${BASE}/query`,
      `POST ${BASE}/sobjects/Opportunity`,
      `GET ${BASE}/query`,
      `GET ${BASE}/query`,
      `PATCH ${BASE}/sobjects/Opportunity/${sf.store.Opportunity.find((o) => o.fields.Stripe_Object_Id__c === 'cs_test_S3')!.Id}`,
    ]);
  });

  it('finds the Account by name when there is no customer id, quoting it safely in SOQL', async () => {
    await deliver({ email: 'ob@example.com', name: "O'Brien & Sons", objectId: 'cs_test_S4' }, 'Prospecting');
    expect(sf.calls()[0]).toEqual({ call: `GET ${BASE}/query`, soql: "SELECT Id FROM Account WHERE Name = 'O\\'Brien & Sons' ORDER BY CreatedDate LIMIT 1" });
    expect(sf.store.Account.find((a) => a.fields.Name === "O'Brien & Sons")).toBeDefined();
  });
});
