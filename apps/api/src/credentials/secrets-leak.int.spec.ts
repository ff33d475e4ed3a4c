import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '@handoff/nodes';
import { eventually, FakeHttp } from '../../test/fake-http';
import { ADMIN, createTestDatabase, HttpClient } from '../../test/harness';
import { AppProcess, startProcess } from '../../test/processes';
import { SecretBox } from './secret-box';

const SIGNING_SECRET = 'whsec_PLANTEDsigningSECRET0042';
const SLACK_SECRET_PATH = '/services/T000/B000/PLANTEDslackSECRET0042';
const SMTP_PASSWORD = 'PLANTEDsmtpPASSWORD0042';
const HEADER_SECRET = 'PLANTEDheaderSECRET0042';
const HUBSPOT_TOKEN = 'pat-PLANTEDhubspotSECRET0042';
const STRIPE_KEY = 'sk_test_PLANTEDstripeKEY0042';
const WEBHOOK_SECRET = 'PLANTEDwebhookSECRET0042';
const PLANTED = [SIGNING_SECRET, 'PLANTEDslackSECRET0042', SMTP_PASSWORD, HEADER_SECRET, HUBSPOT_TOKEN, STRIPE_KEY, WEBHOOK_SECRET];

/**
 * Plants secrets as credentials, uses them everywhere they can be used (webhook signature,
 * Slack delivery that fails, SMTP), then greps every API response and the process's own
 * debug-level logs for them.
 */
describe('secrets never leak', () => {
  let app: AppProcess;
  let base = '';
  let databaseUrl = '';
  const ext = new FakeHttp();
  const responses: string[] = [];

  beforeAll(async () => {
    await ext.start();
    // Outside services that misbehave the worst way: each echoes the credential it was sent.
    ext.respond((req, res) => {
      const auth = String(req.headers.authorization ?? '');
      if (req.path.startsWith('/echo')) return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ youSent: req.headers }));
      if (req.path.startsWith('/hubspot')) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: `invalid token ${auth}` }));
      if (req.path.startsWith('/v1/')) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${auth}` } }));
      res.writeHead(500).end('slack is down');
    });
    databaseUrl = await createTestDatabase();
    app = await startProcess('app', {
      databaseUrl,
      secretKey: SecretBox.generateKey(),
      role: 'all',
      env: { HANDOFF_ADMIN_EMAIL: ADMIN.email, HANDOFF_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'debug' },
    });
    base = app.url;
  }, 60_000);

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await ext.stop();
  });

  it('keeps planted secrets out of responses, exports, run data and logs', async () => {
    const api = await new HttpClient(base).login();
    const record = async <T,>(p: Promise<{ status: number; body: T }>) => {
      const res = await p;
      responses.push(JSON.stringify(res.body));
      return res;
    };
    const signing = await record(api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'Stripe', secret: SIGNING_SECRET }));
    const slack = await record(api.post<{ id: string }>('/api/credentials', { type: 'slack.webhook', name: 'Slack', secret: `${ext.url}${SLACK_SECRET_PATH}` }));
    await record(api.post('/api/credentials', { type: 'smtp', name: 'Mail', secret: { host: '127.0.0.1', port: 2525, from: 'a@b.c', user: 'u', pass: SMTP_PASSWORD } }));
    // a refused secret must not be echoed in the error either
    await record(api.post('/api/credentials', { type: 'stripe.signingSecret', name: 'bad', secret: `not-a-whsec-${SMTP_PASSWORD}` }));
    await record(api.get('/api/credentials'));

    const doc = {
      schema: 'handoff.flow/1',
      name: 'secret flow',
      nodes: [
        { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { signingSecret: { credential: signing.body.id } } },
        { id: 'tell', type: 'notify', position: { x: 200, y: 0 }, config: { channel: 'slack', credential: { credential: slack.body.id }, text: 'paid', retry: { attempts: 1 } } },
      ],
      edges: [{ id: 'e1', source: 'paid', sourcePort: 'out', target: 'tell' }],
    };
    const flow = await record(api.post<{ id: string }>('/api/flows', doc));
    expect(flow.status).toBe(201);
    expect((await record(api.post(`/api/flows/${flow.body.id}/publish`, {}))).status).toBe(200);
    await record(api.get(`/api/flows/${flow.body.id}/export`));
    await record(api.get(`/api/flows/${flow.body.id}`));

    const event = sampleEvent('checkout_paid');
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET });
    const hook = await fetch(`${base}/hooks/stripe/${flow.body.id}`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': header } });
    responses.push(await hook.text());
    const bad = await fetch(`${base}/hooks/stripe/${flow.body.id}`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=deadbeef' } });
    responses.push(await bad.text());
    expect(hook.status).toBe(200);

    // Every other credential type, used where a misbehaving service echoes it back.
    const headerCred = await record(api.post<{ id: string }>('/api/credentials', { type: 'http.header', name: 'API key', secret: { name: 'Authorization', value: `Bearer ${HEADER_SECRET}` } }));
    const hubspot = await record(api.post<{ id: string }>('/api/credentials', { type: 'hubspot', name: 'HubSpot', secret: { accessToken: HUBSPOT_TOKEN, baseUrl: `${ext.url}/hubspot` } }));
    const stripeKey = await record(api.post<{ id: string }>('/api/credentials', { type: 'stripe.apiKey', name: 'Stripe key', secret: { secretKey: STRIPE_KEY, apiBase: ext.url } }));
    const webhookSecret = await record(api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'Orders', secret: WEBHOOK_SECRET }));
    const actions = await record(
      api.post<{ id: string }>('/api/flows', {
        schema: 'handoff.flow/1',
        name: 'echoing services',
        nodes: [
          { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
          { id: 'call', type: 'http.request', position: { x: 200, y: 0 }, config: { method: 'GET', url: `${ext.url}/echo`, auth: { credential: headerCred.body.id }, retry: { attempts: 1 } } },
          { id: 'crm', type: 'crm.updateDeal', position: { x: 200, y: 200 }, config: { connection: 'hubspot', credential: { credential: hubspot.body.id }, email: 'a@example.com', objectId: 'cs_1', customerId: '', name: '', amount: '', currency: '', product: '' } },
          { id: 'refund', type: 'stripe.refund', position: { x: 200, y: 400 }, config: { credential: { credential: stripeKey.body.id }, payment: 'pi_123', retry: { attempts: 1 } } },
        ],
        edges: [
          { id: 'a', source: 'start', sourcePort: 'out', target: 'call' },
          { id: 'b', source: 'start', sourcePort: 'out', target: 'crm' },
          { id: 'c', source: 'start', sourcePort: 'out', target: 'refund' },
        ],
      }),
    );
    await record(api.post(`/api/flows/${actions.body.id}/test-run`, { payload: {} }));
    const hooked = await record(
      api.post<{ id: string }>('/api/flows', {
        schema: 'handoff.flow/1',
        name: 'orders',
        nodes: [{ id: 'order', type: 'webhook.trigger', position: { x: 0, y: 0 }, config: { secret: { credential: webhookSecret.body.id } } }],
        edges: [],
      }),
    );
    await record(api.post(`/api/flows/${hooked.body.id}/publish`, {}));
    await record(api.get(`/api/flows/${hooked.body.id}/export`));
    const order = JSON.stringify({ id: 'order_1' });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${order}`).digest('hex');
    for (const signature of [`t=${t},v1=${v1}`, `t=${t},v1=${'0'.repeat(64)}`]) {
      const res = await fetch(`${base}/hooks/webhook/${hooked.body.id}`, { method: 'POST', body: order, headers: { 'content-type': 'application/json', 'x-handoff-signature': signature } });
      responses.push(await res.text());
    }
    await eventually(async () => ext.requests.some((r) => r.path.startsWith('/hubspot')), 20_000, 'the HubSpot delivery attempt');
    await eventually(async () => ext.requests.some((r) => r.path.startsWith('/v1/')) && ext.requests.some((r) => r.path.startsWith('/echo')), 20_000, 'the Stripe and HTTP calls');

    // let the Slack delivery fail at least once (its error is recorded in the outbox)
    await eventually(async () => ext.requests.length > 0, 20_000, 'the Slack delivery attempt');
    const runs = await record(api.get<{ items: Array<{ id: string }> }>('/api/runs'));
    for (const r of runs.body.items) await record(api.get(`/api/runs/${r.id}`));
    await eventually(async () => (await api.get<{ items: Array<{ lastError: string | null }> }>('/api/outbox')).body.items.filter((m) => m.lastError).length >= 2, 20_000, 'the outbox errors');
    // The echoes did reach us (so the test would see a leak), scrubbed.
    const refusedRefund = (await api.get<{ items: Array<{ id: string }> }>(`/api/runs?flowId=${actions.body.id}`)).body.items[0];
    const detail = await record(api.get<{ steps: Array<{ nodeId: string; error: string | null }> }>(`/api/runs/${refusedRefund.id}`));
    expect(detail.body.steps.find((x) => x.nodeId === 'refund')?.error).toMatch(/Invalid API Key provided: .*\[redacted\]/);
    await record(api.get('/api/outbox'));
    await record(api.get('/api/events'));
    await record(api.get('/api/audit'));

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT (SELECT json_agg(s) FROM steps s) AS steps, (SELECT json_agg(o) FROM outbox_messages o) AS outbox, (SELECT json_agg(r) FROM runs r) AS runs`);
    await db.end();

    const logs = app.output();
    const everything = { responses: responses.join('\n'), logs, rowData: JSON.stringify(rows) };
    expect(logs.length).toBeGreaterThan(1000); // debug logging really was on
    for (const secret of PLANTED) {
      for (const [where, text] of Object.entries(everything)) expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
    }
  }, 90_000);
});
