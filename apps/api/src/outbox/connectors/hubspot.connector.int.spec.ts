import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, FakeHttp, Recorded } from '../../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../../test/harness';

interface HsObject {
  id: string;
  properties: Record<string, string>;
  associations?: unknown;
  /** Made, but not in HubSpot's search index yet. */
  unindexed?: boolean;
}

/** The few HubSpot CRM v3 endpoints the connector uses, over an in-memory store. */
class FakeHubSpot {
  readonly http = new FakeHttp();
  store: Record<'contacts' | 'deals', HsObject[]> = { contacts: [], deals: [] };
  private nextId = 100;
  /** Answer 502 to the next create of this object type after making it (a lost acknowledgement). */
  loseCreateAnswer: 'contacts' | 'deals' | null = null;

  async start() {
    await this.http.start();
    this.http.respond((req, res) => this.handle(req, res));
    return this;
  }

  private send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private view(o: HsObject) {
    return { id: o.id, properties: o.properties, createdAt: '2026-01-05T09:00:00.000Z', updatedAt: '2026-01-05T09:00:00.000Z', archived: false };
  }

  private handle(req: Recorded, res: ServerResponse) {
    const m = /^\/crm\/v3\/objects\/(contacts|deals)(?:\/(search|\d+))?$/.exec(req.path.split('?')[0]);
    if (!m) return this.send(res, 404, { message: `no route ${req.path}` });
    const type = m[1] as 'contacts' | 'deals';
    const body = req.body ? JSON.parse(req.body) : {};
    if (req.method === 'POST' && m[2] === 'search') {
      const f = body.filterGroups[0].filters[0];
      const results = this.store[type].filter((o) => !o.unindexed && o.properties[f.propertyName]?.toLowerCase() === String(f.value).toLowerCase()).slice(0, body.limit ?? 10);
      return this.send(res, 200, { total: results.length, results: results.map((o) => this.view(o)) });
    }
    if (req.method === 'POST' && !m[2]) {
      const email = body.properties.email;
      const existing = type === 'contacts' && email && this.store.contacts.find((c) => c.properties.email === email);
      if (existing) return this.send(res, 409, { status: 'error', message: `Contact already exists. Existing ID: ${existing.id}`, category: 'CONFLICT' });
      const created: HsObject = { id: String(this.nextId++), properties: body.properties, associations: body.associations };
      this.store[type].push(created);
      if (this.loseCreateAnswer === type) {
        this.loseCreateAnswer = null;
        return this.send(res, 502, { message: 'Bad gateway' });
      }
      return this.send(res, 201, this.view(created));
    }
    if (req.method === 'PATCH' && m[2] && m[2] !== 'search') {
      const o = this.store[type].find((x) => x.id === m[2]);
      if (!o) return this.send(res, 404, { message: 'not found' });
      Object.assign(o.properties, body.properties);
      return this.send(res, 200, this.view(o));
    }
    return this.send(res, 405, { message: 'unexpected' });
  }

  /** The calls made, as `METHOD path` plus the parsed body. */
  calls() {
    return this.http.requests.map((r) => ({ call: `${r.method} ${r.path}`, body: r.body ? JSON.parse(r.body) : null }));
  }
}

const searchBody = (propertyName: string, value: string) => ({ filterGroups: [{ filters: [{ propertyName, operator: 'EQ', value }] }], properties: [propertyName], limit: 1 });

describe('HubSpot connector', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let hubspot: FakeHubSpot;
  let flowId: string;

  beforeAll(async () => {
    hubspot = await new FakeHubSpot().start();
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'hubspot', name: 'HubSpot (fake)', secret: { accessToken: 'pat-test-123', baseUrl: hubspot.http.url } });
    expect(cred.status).toBe(201);
    flowId = await h.createFlow(
      flow(
        'hubspot',
        [node('start', 'manual.trigger'), node('deal', 'crm.updateDeal', { connection: 'hubspot', credential: { credential: cred.body.id }, stage: '{{ trigger.stage }}' })],
        [edge('start', 'deal')],
      ),
    );
  });
  beforeEach(() => {
    hubspot.http.requests.length = 0;
  });
  afterAll(async () => {
    await app?.close();
    await hubspot?.http.stop();
  });

  async function deliver(payment: Record<string, unknown>, stage: string, statuses = ['sent']) {
    const run = await h.untilStatus(await h.testRun(flowId, { payment: { currency: 'usd', metadata: { product: 'Website' }, ...payment }, stage }), ['succeeded', 'failed']);
    expect(run.status, run.error ?? '').toBe('succeeded');
    const output = h.step(run, 'deal')!.output as { outboxId: string };
    return eventually(async () => {
      const { body } = await api.get<{ items: Array<{ id: string; status: string; channel: string; history: Array<{ ok: boolean }>; lastError: string | null }> }>(`/api/outbox?runId=${run.id}`);
      const m = body.items.find((x) => x.id === output.outboxId);
      return m && statuses.includes(m.status) ? { run, output, message: m } : undefined;
    }, 30_000, 'the HubSpot delivery');
  }

  it('queues the deal in the outbox, then searches by stripe_customer_id and e-mail, and creates the contact and the deal', async () => {
    const { output, message } = await deliver({ customerId: 'cus_H1', email: 'ada@example.com', name: 'Ada King Lovelace', amount: 250000, objectId: 'cs_test_H1' }, 'appointmentscheduled');
    expect(output).toMatchObject({ connection: 'hubspot', queued: true, objectId: 'cs_test_H1', stage: 'appointmentscheduled' });
    expect(message.channel).toBe('hubspot');
    const contact = hubspot.store.contacts.find((c) => c.properties.stripe_customer_id === 'cus_H1')!;
    expect(hubspot.calls()).toEqual([
      { call: 'POST /crm/v3/objects/contacts/search', body: searchBody('stripe_customer_id', 'cus_H1') },
      { call: 'POST /crm/v3/objects/contacts/search', body: searchBody('email', 'ada@example.com') },
      {
        call: 'POST /crm/v3/objects/contacts',
        body: { properties: { email: 'ada@example.com', stripe_customer_id: 'cus_H1', firstname: 'Ada', lastname: 'King Lovelace' }, associations: [] },
      },
      { call: 'POST /crm/v3/objects/deals/search', body: searchBody('stripe_object_id', 'cs_test_H1') },
      {
        call: 'POST /crm/v3/objects/deals',
        body: {
          properties: {
            pipeline: 'default',
            dealname: 'Website – Ada King Lovelace',
            dealstage: 'appointmentscheduled',
            stripe_object_id: 'cs_test_H1',
            amount: '2500.00',
            deal_currency_code: 'USD',
            stripe_customer_id: 'cus_H1',
          },
          associations: [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }],
        },
      },
    ]);
    expect(hubspot.http.requests.every((r) => r.headers.authorization === 'Bearer pat-test-123')).toBe(true);
  });

  it('updates the contact found by customer id (new e-mail) and the deal found by the Stripe object id, creating nothing', async () => {
    await deliver({ customerId: 'cus_H2', email: 'old@example.com', name: 'Bo', amount: 1000, objectId: 'cs_test_H2' }, 'appointmentscheduled');
    hubspot.http.requests.length = 0;
    const counts = { contacts: hubspot.store.contacts.length, deals: hubspot.store.deals.length };
    await deliver({ customerId: 'cus_H2', email: 'new@example.com', amount: 1200, objectId: 'cs_test_H2' }, 'closedwon');
    const contact = hubspot.store.contacts.find((c) => c.properties.stripe_customer_id === 'cus_H2')!;
    const deal = hubspot.store.deals.find((d) => d.properties.stripe_object_id === 'cs_test_H2')!;
    expect(hubspot.calls()).toEqual([
      { call: 'POST /crm/v3/objects/contacts/search', body: searchBody('stripe_customer_id', 'cus_H2') },
      { call: `PATCH /crm/v3/objects/contacts/${contact.id}`, body: { properties: { email: 'new@example.com', stripe_customer_id: 'cus_H2' } } },
      { call: 'POST /crm/v3/objects/deals/search', body: searchBody('stripe_object_id', 'cs_test_H2') },
      {
        call: `PATCH /crm/v3/objects/deals/${deal.id}`,
        body: { properties: { dealname: 'Website – new@example.com', dealstage: 'closedwon', stripe_object_id: 'cs_test_H2', amount: '12.00', deal_currency_code: 'USD', stripe_customer_id: 'cus_H2' } },
      },
    ]);
    expect({ contacts: hubspot.store.contacts.length, deals: hubspot.store.deals.length }).toEqual(counts);
    expect(deal.properties.dealstage).toBe('closedwon');
  });

  it('retries after a lost answer to the deal create and updates the deal it made instead of making a second', async () => {
    hubspot.loseCreateAnswer = 'deals';
    const { message } = await deliver({ customerId: 'cus_H3', email: 'c@example.com', amount: 500, objectId: 'cs_test_H3' }, 'closedwon');
    expect(message.history.map((a) => a.ok)).toEqual([false, true]);
    expect(hubspot.store.deals.filter((d) => d.properties.stripe_object_id === 'cs_test_H3')).toHaveLength(1);
    expect(hubspot.calls().filter((c) => c.call === 'POST /crm/v3/objects/deals')).toHaveLength(1);
    expect(hubspot.calls().filter((c) => c.call.startsWith('PATCH /crm/v3/objects/deals/'))).toHaveLength(1);
  });

  it('uses the existing contact HubSpot names in its 409 when the search index has not caught up yet', async () => {
    hubspot.store.contacts.push({ id: '901', properties: { email: 'lag@example.com' }, unindexed: true });
    await deliver({ email: 'lag@example.com', name: 'Lag', objectId: 'cs_test_H4' }, 'closedwon');
    const calls = hubspot.calls().map((c) => c.call);
    expect(calls).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/contacts',
      'PATCH /crm/v3/objects/contacts/901',
      'POST /crm/v3/objects/deals/search',
      'POST /crm/v3/objects/deals',
    ]);
    expect(hubspot.store.contacts.filter((c) => c.properties.email === 'lag@example.com')).toHaveLength(1);
  });

  it('fails the step at once when the run has no Stripe object to key the deal by', async () => {
    const run = await h.untilStatus(await h.testRun(flowId, { payment: { email: 'x@example.com' }, stage: 'closedwon' }), ['succeeded', 'failed']);
    expect(run.status).toBe('failed');
    expect(h.step(run, 'deal')!.error).toMatch(/Stripe object id/);
  });
});
