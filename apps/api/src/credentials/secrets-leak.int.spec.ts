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
const PLANTED = [SIGNING_SECRET, 'PLANTEDslackSECRET0042', SMTP_PASSWORD];

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
    ext.respond((_req, res) => void res.writeHead(500).end('slack is down'));
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

    // let the Slack delivery fail at least once (its error is recorded in the outbox)
    await eventually(async () => ext.requests.length > 0, 20_000, 'the Slack delivery attempt');
    const runs = await record(api.get<{ items: Array<{ id: string }> }>('/api/runs'));
    for (const r of runs.body.items) await record(api.get(`/api/runs/${r.id}`));
    await eventually(async () => (await api.get<{ items: Array<{ lastError: string | null }> }>('/api/outbox')).body.items.some((m) => m.lastError), 20_000, 'the outbox error');
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
